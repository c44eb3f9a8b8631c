import { createDataSource } from './data-source';
import { verifyAuditChain } from './audit-verify';

/** `node dist/db/audit-cli.js verify [fromSeq] [toSeq]`: exits 1 when the audit chain is broken. */
async function main(command = 'verify', from?: string, to?: string): Promise<number> {
  if (command !== 'verify') throw new Error(`unknown command "${command}" (verify)`);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const range = { fromSeq: seqArgument(from), toSeq: seqArgument(to) };
  const dataSource = await createDataSource(url, 'precharge-audit').initialize();
  try {
    const report = await verifyAuditChain(dataSource, range);
    if (report.ok) {
      console.log(`audit chain intact: ${report.checked} entries checked`);
      return 0;
    }
    console.error(`audit chain broken at seq ${report.firstBadSeq} (${report.checked} entries verified before it)`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

function seqArgument(value?: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`"${value}" is not a sequence number`);
  return Number(value);
}

const [command, from, to] = process.argv.slice(2);
main(command, from, to).then((code) => process.exit(code), (err: Error) => {
  console.error(err.message);
  process.exit(2);
});
