import 'reflect-metadata';
import { createDataSource } from '../db/data-source';
import { Force } from '../db/entities';
import { forcePolicyFiles, loadEnvironment } from '../infra/config';
import { createMailTransport } from '../infra/mail-transport';
import { connectTemporalClient } from '../infra/temporal';
import { startTracing } from '../infra/tracing';
import { loadRegionPolicies } from '../policy/load-policy';
import { recordPolicyVersions } from '../policy/record-policy';
import { createApp } from './create-app';

/** Composition root of the API process. */
async function main(): Promise<void> {
  const config = loadEnvironment();
  // Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (before anything makes a span); otherwise none.
  const tracing = startTracing('precharge-api');
  const policies = loadRegionPolicies(config.POLICY_FILE, forcePolicyFiles(config));
  const dataSource = await createDataSource(config.DATABASE_URL, 'precharge-api').initialize();
  await recordPolicyVersions(dataSource, policies);
  // Not refused: a new region's forces are added through the running API, and a force's policy applies once it is.
  const forces = new Set((await dataSource.getRepository(Force).find()).map((f) => f.id));
  const absent = policies.forceIds().filter((id) => !forces.has(id));
  if (absent.length) console.warn(`FORCE_POLICIES names forces not in the directory: ${absent.join(', ')} (their policies apply once they are added)`);
  const temporal = await connectTemporalClient(config, tracing);
  const smtp = createMailTransport(config.SMTP_URL);
  const app = await createApp({ config, dataSource, temporal, policies, smtpProbe: async () => { await smtp.verify(); } });
  await app.listen(config.PORT, process.env.HOST ?? '127.0.0.1');
  const stop = async () => {
    await app.close();
    smtp.close();
    await temporal.connection.close();
    await dataSource.destroy();
    await tracing?.shutdown();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`api failed to start: ${err.message}`);
  process.exit(1);
});
