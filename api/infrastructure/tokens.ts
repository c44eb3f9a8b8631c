/** Injection tokens for what the composition root (api/main.ts, or a test) hands the Nest app. */
export const DATA_SOURCE = Symbol('DataSource');
export const TEMPORAL_CLIENT = Symbol('TemporalClient');
export const POLICIES = Symbol('RegionPolicies');
export const SMTP_PROBE = Symbol('SmtpProbe');

/** Checks the SMTP relay answers, for /api/health; the API itself never sends mail. */
export type SmtpProbe = () => Promise<void>;
/** The webhook settings (infra/webhooks.ts): which destinations subscriptions may name, secrets' sealing keys. */
export const WEBHOOK_SETTINGS = Symbol('WebhookSettings');
