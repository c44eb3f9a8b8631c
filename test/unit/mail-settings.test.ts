import { type ConfigError, loadEnvironment } from '../../infra/config';
import { mailSettings } from '../../worker/mail-dispatcher';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', SMTP_URL: 'smtp://127.0.0.1:2525', PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`, JWT_SECRET: 'a-synthetic-secret-for-this-test-only' };

describe('the mail dispatcher settings from the environment', () => {
  it('defaults to 4 at once, retrying after 5 s and doubling up to 10 min', () => {
    expect(mailSettings(loadEnvironment(base))).toEqual({ concurrency: 4, retryInitialMs: 5_000, retryMaxMs: 600_000, leaseMs: 60_000 });
  });

  it('takes MAIL_CONCURRENCY, MAIL_RETRY_INITIAL and MAIL_RETRY_MAX', () => {
    const settings = mailSettings(loadEnvironment({ ...base, MAIL_CONCURRENCY: '12', MAIL_RETRY_INITIAL: 'PT30S', MAIL_RETRY_MAX: 'PT1H' }));
    expect(settings).toMatchObject({ concurrency: 12, retryInitialMs: 30_000, retryMaxMs: 3_600_000 });
  });

  it('refuses a bad value at boot, naming the variable', () => {
    const problems = (env: NodeJS.ProcessEnv) => { try { loadEnvironment({ ...base, ...env }); return []; } catch (err) { return (err as ConfigError).problems; } };
    expect(problems({ MAIL_RETRY_INITIAL: '5 seconds' }).join('\n')).toMatch(/MAIL_RETRY_INITIAL must be an ISO-8601 duration/);
    expect(problems({ MAIL_CONCURRENCY: '0' }).join('\n')).toMatch(/MAIL_CONCURRENCY/);
  });
});
