import 'reflect-metadata';
import { createDataSource } from '../db/data-source';
import { loadEnvironment } from '../infra/config';
import { createMailTransport } from '../infra/mail-transport';
import { connectTemporalClient } from '../infra/temporal';
import { loadPolicy } from '../policy/load-policy';
import { recordPolicyVersion } from '../policy/record-policy';
import { createApp } from './create-app';

/** Composition root of the API process. */
async function main(): Promise<void> {
  const config = loadEnvironment();
  const policy = loadPolicy(config.POLICY_FILE);
  const dataSource = await createDataSource(config.DATABASE_URL, 'precharge-api').initialize();
  await recordPolicyVersion(dataSource, policy);
  const temporal = await connectTemporalClient(config);
  const smtp = createMailTransport(config.SMTP_URL);
  const app = await createApp({ config, dataSource, temporal, policy, smtpProbe: async () => { await smtp.verify(); } });
  await app.listen(config.PORT, process.env.HOST ?? '127.0.0.1');
  const stop = async () => {
    await app.close();
    smtp.close();
    await temporal.connection.close();
    await dataSource.destroy();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`api failed to start: ${err.message}`);
  process.exit(1);
});
