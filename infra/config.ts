import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/** An ISO-8601 duration of days, hours, minutes and (fractional) seconds. */
const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * Every setting the API and the worker read, validated once at boot. Names follow docs/api.md;
 * where one is unset the local stack (scripts/local-stack) supplies its embedded default.
 */
export class Environment {
  @Transform(({ value }) => (value === undefined ? 3000 : Number(value)))
  @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IsString()
  TEMPORAL_ADDRESS = '127.0.0.1:7233';

  @IsString()
  TEMPORAL_NAMESPACE = 'default';

  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL!: string;

  @IsString()
  MAIL_FROM = 'Pre-charge orchestrator <no-reply@precharge.local>';

  /** Emails handed to the relay at once by each worker's mail dispatcher (connections to the relay). */
  @Transform(({ value }) => (value === undefined ? 4 : Number(value)))
  @IsInt() @Min(1) @Max(64)
  MAIL_CONCURRENCY = 4;

  /** The first retry's delay after the relay refused an email; each further retry doubles it (with jitter) up to MAIL_RETRY_MAX. */
  @Matches(ISO_DURATION, { message: 'MAIL_RETRY_INITIAL must be an ISO-8601 duration such as PT5S' })
  MAIL_RETRY_INITIAL = 'PT5S';

  @Matches(ISO_DURATION, { message: 'MAIL_RETRY_MAX must be an ISO-8601 duration such as PT10M' })
  MAIL_RETRY_MAX = 'PT10M';

  @IsOptional() @IsString()
  JWT_SECRET?: string;

  @IsOptional() @IsUrl({ require_tld: false })
  OIDC_ISSUER?: string;

  /**
   * Several issuers at once (one per force, and the CPS's): a JSON object from issuer URL to the force or CPS area it
   * vouches for, `{"https://idp.force-a.example": {"forceId": "force-a"}, "https://login.cps.example": {"areaId": "cps-se"}}`;
   * `{}` trusts an issuer whose people the directory alone places. OIDC_ISSUER alone is the one-issuer case.
   */
  @IsOptional() @IsString()
  OIDC_ISSUERS?: string;

  @IsOptional() @IsString()
  OIDC_AUDIENCE?: string;

  /** `keyId:base64Key[,keyId:base64Key…]`; the first key encrypts, every listed key decrypts (rotation). */
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$/, {
    message: 'PAYLOAD_KEYS must be keyId:base64key pairs separated by commas',
  })
  PAYLOAD_KEYS!: string;

  /** The regional deadline policy (JSON over the defaults); forces layer theirs on it with FORCE_POLICIES. */
  @IsOptional() @IsString()
  POLICY_FILE?: string;

  /** `forceId:file[,forceId:file…]`: a force's own policy (`"extends": "region"`), layered on POLICY_FILE. */
  @IsOptional() @Matches(/^[a-z0-9-]{2,64}:[^,]+(,[a-z0-9-]{2,64}:[^,]+)*$/, {
    message: 'FORCE_POLICIES must be forceId:file pairs separated by commas',
  })
  FORCE_POLICIES?: string;

  @IsUrl({ require_tld: false })
  PUBLIC_URL = 'http://localhost:3000';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Requests per minute one caller may make to one route; an optional extra, not a deployment variable. */
  @Transform(({ value }) => (value === undefined ? 600 : Number(value)))
  @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Failed authentications per minute from one address, or claiming one subject, before 429; an optional extra. */
  @Transform(({ value }) => (value === undefined ? 20 : Number(value)))
  @IsInt() @Min(1)
  AUTH_FAILURES_PER_MINUTE = 20;

  /**
   * The Temporal Web UI's origin (`https://temporal.example`), the one origin allowed to call the payload codec
   * endpoint (/api/codec) from a browser; unset, no origin is. An optional extra, not a deployment variable.
   */
  @IsOptional() @Matches(/^https?:\/\/[^/\s?#]+$/, { message: 'TEMPORAL_UI_ORIGIN must be an origin: scheme://host[:port], no path' })
  TEMPORAL_UI_ORIGIN?: string;

  /** `production` refuses the demo sign-in at boot. */
  @IsOptional() @IsIn(['production', 'development', 'test'])
  NODE_ENV?: string;

  /** Signs the web session cookie (at least 32 characters); the API refuses to boot without it. */
  @IsOptional() @IsString() @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string;

  /** Minutes of inactivity after which a web session ends. */
  @Transform(({ value }) => (value === undefined ? 30 : Number(value)))
  @IsInt() @Min(1) @Max(24 * 60)
  SESSION_IDLE_MINUTES = 30;

  /** The local stack's sign-in page that lets you choose a demo person; refused when NODE_ENV=production. */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  DEMO_SIGN_IN = false;

  /** The web front end's client at the OIDC issuer (authorisation code flow with PKCE; redirect `PUBLIC_URL/sign-in/callback`). */
  @IsOptional() @IsString()
  OIDC_CLIENT_ID?: string;

  @IsOptional() @IsString()
  OIDC_CLIENT_SECRET?: string;

  /**
   * The secrets of the web clients listed in OIDC_ISSUERS, `key:secret[,key:secret…]` by each client's key (its
   * "key", else its force or area id): kept out of the JSON so OIDC_ISSUERS holds nothing secret.
   */
  @IsOptional() @IsString()
  OIDC_CLIENT_SECRETS?: string;

  /**
   * Which addresses webhooks may be sent to: `public` (the default), plus any of `private`, `loopback`, `link-local`;
   * `loopback` alone keeps every delivery on this machine (the tests, benchmarks and the local stack).
   */
  @Matches(/^(public|private|loopback|link-local)(,(public|private|loopback|link-local))*$/, { message: 'WEBHOOK_DESTINATIONS must list public, private, loopback or link-local, separated by commas' })
  WEBHOOK_DESTINATIONS = 'public';

  /** How long one webhook delivery may take (connect, send, answer), ISO-8601. */
  @Matches(ISO_DURATION, { message: 'WEBHOOK_TIMEOUT must be an ISO-8601 duration such as PT10S' })
  WEBHOOK_TIMEOUT = 'PT10S';

  /** The first retry's delay after a failed delivery; each further retry doubles it (with jitter) up to WEBHOOK_RETRY_MAX. */
  @Matches(ISO_DURATION, { message: 'WEBHOOK_RETRY_INITIAL must be an ISO-8601 duration such as PT5S' })
  WEBHOOK_RETRY_INITIAL = 'PT5S';

  @Matches(ISO_DURATION, { message: 'WEBHOOK_RETRY_MAX must be an ISO-8601 duration such as PT1H' })
  WEBHOOK_RETRY_MAX = 'PT1H';

  /** A subscription failing for this long without a success is marked failing and its administrators are emailed. */
  @Matches(ISO_DURATION, { message: 'WEBHOOK_FAILING_AFTER must be an ISO-8601 duration such as PT1H' })
  WEBHOOK_FAILING_AFTER = 'PT1H';

  /** Deliveries in flight at once per dispatcher (one per case and subscription at a time). */
  @Transform(({ value }) => (value === undefined ? 8 : Number(value)))
  @IsInt() @Min(1) @Max(256)
  WEBHOOK_CONCURRENCY = 8;

  /** Express `trust proxy` (e.g. `1` or `loopback`) behind a TLS-terminating proxy: client addresses and Secure cookies. */
  @IsOptional() @IsString()
  TRUST_PROXY?: string;

  /**
   * The bearer token Prometheus scrapes GET /api/metrics with (at least 32 characters); unset, only callers on this
   * machine (loopback, not through a proxy) may read it.
   */
  @IsOptional() @IsString() @MinLength(32, { message: 'METRICS_TOKEN must be at least 32 characters' })
  METRICS_TOKEN?: string;

  /** Where the worker serves Temporal's SDK metrics for Prometheus (`host:port`, path /metrics), or `off`. */
  @Matches(/^(off|[^\s:]+:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5})$/, { message: 'WORKER_METRICS_ADDRESS must be host:port (e.g. 0.0.0.0:9464) or off' })
  WORKER_METRICS_ADDRESS = '127.0.0.1:9464';
}

/** The variables a deployment sets (docker-compose and the README list exactly these). */
export const DEPLOYMENT_VARIABLES = [
  'PORT', 'HOST', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SMTP_URL', 'MAIL_FROM',
  'JWT_SECRET', 'OIDC_ISSUER', 'OIDC_ISSUERS', 'OIDC_AUDIENCE', 'PAYLOAD_KEYS', 'POLICY_FILE', 'FORCE_POLICIES', 'PUBLIC_URL', 'LOG_LEVEL',
  'SESSION_SECRET', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_CLIENT_SECRETS',
] as const;

/** What a trusted issuer vouches for: the force or CPS area its people belong to (neither: the directory decides). */
export interface IssuerHome { forceId?: string; areaId?: string }

/** The web front end's client at one trusted provider: the sign-in page offers a button for each. */
export interface WebSignInProvider extends IssuerHome {
  /** Names the provider in the sign-in start URL and in OIDC_CLIENT_SECRETS: `key`, else the force or area id. */
  key: string;
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE alone). */
  clientSecret?: string;
  /** The button's "Sign in with …"; absent, the directory's name of the force or area. */
  name?: string;
}

interface IssuerEntry { issuer: string; home: IssuerHome; web?: { clientId: string; key?: string; name?: string } }

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CLIENT_SECRETS = /^[a-z0-9][a-z0-9-]{0,62}:[^,\s]+(,[a-z0-9][a-z0-9-]{0,62}:[^,\s]+)*$/;

/** OIDC_ISSUERS as entries; throws naming the problem, never the value (issuer URLs, being public, may be named). */
function issuerEntries(value: string | undefined): IssuerEntry[] {
  if (!value) return [];
  let parsed: unknown;
  try { parsed = JSON.parse(value); } catch { throw new Error('OIDC_ISSUERS must be JSON: {"<issuer URL>": {"forceId": "…"} | {"areaId": "…"} | {}}'); }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('OIDC_ISSUERS must be a JSON object from issuer URL to {forceId} or {areaId}');
  return Object.entries(parsed as Record<string, unknown>).map(([issuer, entry]) => {
    if (!/^https?:\/\/\S+$/.test(issuer)) throw new Error('every key of OIDC_ISSUERS must be an issuer URL');
    const { forceId, areaId, clientId, key, name, ...rest } = (typeof entry === 'object' && entry !== null ? entry : { bad: true }) as Record<string, unknown>;
    const id = (v: unknown) => v === undefined || (typeof v === 'string' && ID.test(v));
    if (Object.keys(rest).length || !id(forceId) || !id(areaId) || (forceId && areaId)) {
      throw new Error('each issuer in OIDC_ISSUERS maps to {"forceId": "<force id>"}, {"areaId": "<CPS area id>"} or {}, optionally with its web client: "clientId", "key", "name"');
    }
    const text = (v: unknown) => v === undefined || (typeof v === 'string' && v.trim().length > 0 && v.length <= 100);
    if (!text(clientId) || !id(key) || !text(name)) throw new Error(`OIDC_ISSUERS: the web client of ${issuer} needs "clientId" (text), and "key" (lower-case letters, digits, hyphens) and "name" (text) if given`);
    if (clientId === undefined && (key !== undefined || name !== undefined)) throw new Error(`OIDC_ISSUERS: ${issuer} has "key" or "name" but no "clientId" (its web client)`);
    const home = { ...(forceId ? { forceId: forceId as string } : {}), ...(areaId ? { areaId: areaId as string } : {}) };
    return { issuer, home, ...(clientId ? { web: { clientId: clientId as string, key: key as string | undefined, name: name as string | undefined } } : {}) };
  });
}

/**
 * The trusted OIDC issuers and what each vouches for: OIDC_ISSUERS, plus OIDC_ISSUER (the web front end's provider)
 * where it is not listed there. Throws on a malformed OIDC_ISSUERS, naming the problem, never the value.
 */
export function trustedIssuers(settings: { OIDC_ISSUER?: string; OIDC_ISSUERS?: string }): Map<string, IssuerHome> {
  const issuers = new Map(issuerEntries(settings.OIDC_ISSUERS).map((e) => [e.issuer, e.home]));
  if (settings.OIDC_ISSUER && !issuers.has(settings.OIDC_ISSUER)) issuers.set(settings.OIDC_ISSUER, {});
  return issuers;
}

/**
 * The providers the web front end signs people in with: the web clients listed in OIDC_ISSUERS (secrets from
 * OIDC_CLIENT_SECRETS, so none sits in the JSON), or else the one-provider case, OIDC_ISSUER with OIDC_CLIENT_ID and
 * OIDC_CLIENT_SECRET. Throws naming the variable and the problem, never a secret.
 */
export function webSignInProviders(settings: Pick<Environment, 'OIDC_ISSUER' | 'OIDC_ISSUERS' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_CLIENT_SECRETS'>): WebSignInProvider[] {
  const entries = issuerEntries(settings.OIDC_ISSUERS);
  // Checked here, not by a decorator, so a malformed value is never split into a "key" that is really a secret.
  if (settings.OIDC_CLIENT_SECRETS && !CLIENT_SECRETS.test(settings.OIDC_CLIENT_SECRETS)) {
    throw new Error('OIDC_CLIENT_SECRETS must be key:secret pairs separated by commas, each key a web client\'s in OIDC_ISSUERS');
  }
  const secrets = idPairs(settings.OIDC_CLIENT_SECRETS);
  const listed = entries.filter((e) => e.web);
  if (!listed.length) {
    if (secrets.length) throw new Error('OIDC_CLIENT_SECRETS is set but no issuer in OIDC_ISSUERS has a web client ("clientId")');
    if (!settings.OIDC_ISSUER || !settings.OIDC_CLIENT_ID) return [];
    const home = trustedIssuers(settings).get(settings.OIDC_ISSUER)!;
    return [{ key: home.forceId ?? home.areaId ?? 'organisation', issuer: settings.OIDC_ISSUER, clientId: settings.OIDC_CLIENT_ID, ...home, ...(settings.OIDC_CLIENT_SECRET ? { clientSecret: settings.OIDC_CLIENT_SECRET } : {}) }];
  }
  if (settings.OIDC_CLIENT_ID || settings.OIDC_CLIENT_SECRET) {
    throw new Error('OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are the one-provider case: with web clients in OIDC_ISSUERS, give each its "clientId" there and its secret in OIDC_CLIENT_SECRETS');
  }
  const providers = listed.map(({ issuer, home, web }) => {
    const key = web!.key ?? home.forceId ?? home.areaId;
    if (!key) throw new Error(`OIDC_ISSUERS: the web client of ${issuer} needs a "key" (its issuer vouches for no force or area)`);
    return { key, issuer, clientId: web!.clientId, ...home, ...(web!.name ? { name: web!.name } : {}) };
  });
  const keys = providers.map((p) => p.key);
  for (const twice of new Set(keys.filter((k, i) => keys.indexOf(k) !== i))) throw new Error(`OIDC_ISSUERS gives two web clients the key ${twice}: set a distinct "key" on one`);
  const secretKeys = secrets.map(([key]) => key);
  for (const twice of new Set(secretKeys.filter((k, i) => secretKeys.indexOf(k) !== i))) throw new Error(`OIDC_CLIENT_SECRETS names key ${twice} more than once`);
  for (const key of secretKeys) if (!keys.includes(key)) throw new Error(`OIDC_CLIENT_SECRETS names key ${key}, which no web client in OIDC_ISSUERS has`);
  const secretOf = new Map(secrets);
  return providers.map((p) => (secretOf.has(p.key) ? { ...p, clientSecret: secretOf.get(p.key)! } : p));
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Validates the environment; throws one error naming every bad variable (never their values). */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const problems = validateSync(config, { whitelist: false }).flatMap((e) => Object.values(e.constraints ?? {}));
  let issuers = 0;
  try {
    issuers = trustedIssuers(config).size;
    webSignInProviders(config);
  } catch (err) { problems.push((err as Error).message); }
  if (!config.JWT_SECRET && !config.OIDC_ISSUER && !config.OIDC_ISSUERS) problems.push('set JWT_SECRET (HS256) or OIDC_ISSUER / OIDC_ISSUERS + OIDC_AUDIENCE');
  if (issuers && !config.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE is required with OIDC_ISSUER or OIDC_ISSUERS');
  if (config.OIDC_CLIENT_ID && !config.OIDC_ISSUER) problems.push('OIDC_CLIENT_ID needs OIDC_ISSUER (the provider the web front end signs in with)');
  const forces = idPairs(config.FORCE_POLICIES).map(([id]) => id);
  for (const twice of new Set(forces.filter((id, i) => forces.indexOf(id) !== i))) problems.push(`FORCE_POLICIES names force ${twice} more than once`);
  if (config.DEMO_SIGN_IN && config.NODE_ENV === 'production') problems.push("DEMO_SIGN_IN is refused in production (NODE_ENV=production): people sign in through the force's OIDC provider");
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** FORCE_POLICIES as force id → policy file (validated by loadEnvironment). */
export function forcePolicyFiles(config: Pick<Environment, 'FORCE_POLICIES'>): Map<string, string> {
  return new Map(idPairs(config.FORCE_POLICIES));
}

/** `id:value[,id:value…]` (FORCE_POLICIES, OIDC_CLIENT_SECRETS) as pairs, split at each pair's first colon. */
function idPairs(value = ''): [string, string][] {
  return value ? value.split(',').map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]) : [];
}
