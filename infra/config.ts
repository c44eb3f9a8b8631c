import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

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

  /** Express `trust proxy` (e.g. `1` or `loopback`) behind a TLS-terminating proxy: client addresses and Secure cookies. */
  @IsOptional() @IsString()
  TRUST_PROXY?: string;
}

/** The variables a deployment sets (docker-compose and the README list exactly these). */
export const DEPLOYMENT_VARIABLES = [
  'PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SMTP_URL', 'MAIL_FROM',
  'JWT_SECRET', 'OIDC_ISSUER', 'OIDC_ISSUERS', 'OIDC_AUDIENCE', 'PAYLOAD_KEYS', 'POLICY_FILE', 'FORCE_POLICIES', 'PUBLIC_URL', 'LOG_LEVEL',
  'SESSION_SECRET', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET',
] as const;

/** What a trusted issuer vouches for: the force or CPS area its people belong to (neither: the directory decides). */
export interface IssuerHome { forceId?: string; areaId?: string }

/**
 * The trusted OIDC issuers and what each vouches for: OIDC_ISSUERS, plus OIDC_ISSUER (the web front end's provider)
 * where it is not listed there. Throws on a malformed OIDC_ISSUERS, naming the problem, never the value.
 */
export function trustedIssuers(settings: { OIDC_ISSUER?: string; OIDC_ISSUERS?: string }): Map<string, IssuerHome> {
  const issuers = new Map<string, IssuerHome>();
  if (settings.OIDC_ISSUERS) {
    let parsed: unknown;
    try { parsed = JSON.parse(settings.OIDC_ISSUERS); } catch { throw new Error('OIDC_ISSUERS must be JSON: {"<issuer URL>": {"forceId": "…"} | {"areaId": "…"} | {}}'); }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('OIDC_ISSUERS must be a JSON object from issuer URL to {forceId} or {areaId}');
    for (const [issuer, home] of Object.entries(parsed as Record<string, unknown>)) {
      if (!/^https?:\/\/\S+$/.test(issuer)) throw new Error('every key of OIDC_ISSUERS must be an issuer URL');
      const { forceId, areaId, ...rest } = (typeof home === 'object' && home !== null ? home : { bad: true }) as Record<string, unknown>;
      const id = (v: unknown) => v === undefined || (typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(v));
      if (Object.keys(rest).length || !id(forceId) || !id(areaId) || (forceId && areaId)) {
        throw new Error('each issuer in OIDC_ISSUERS maps to {"forceId": "<force id>"}, {"areaId": "<CPS area id>"} or {}');
      }
      issuers.set(issuer, { ...(forceId ? { forceId: forceId as string } : {}), ...(areaId ? { areaId: areaId as string } : {}) });
    }
  }
  if (settings.OIDC_ISSUER && !issuers.has(settings.OIDC_ISSUER)) issuers.set(settings.OIDC_ISSUER, {});
  return issuers;
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
  try { issuers = trustedIssuers(config).size; } catch (err) { problems.push((err as Error).message); }
  if (!config.JWT_SECRET && !config.OIDC_ISSUER && !config.OIDC_ISSUERS) problems.push('set JWT_SECRET (HS256) or OIDC_ISSUER / OIDC_ISSUERS + OIDC_AUDIENCE');
  if (issuers && !config.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE is required with OIDC_ISSUER or OIDC_ISSUERS');
  if (config.OIDC_CLIENT_ID && !config.OIDC_ISSUER) problems.push('OIDC_CLIENT_ID needs OIDC_ISSUER (the provider the web front end signs in with)');
  const forces = forcePolicyPairs(config.FORCE_POLICIES).map(([id]) => id);
  for (const twice of new Set(forces.filter((id, i) => forces.indexOf(id) !== i))) problems.push(`FORCE_POLICIES names force ${twice} more than once`);
  if (config.DEMO_SIGN_IN && config.NODE_ENV === 'production') problems.push("DEMO_SIGN_IN is refused in production (NODE_ENV=production): people sign in through the force's OIDC provider");
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** FORCE_POLICIES as force id → policy file (validated by loadEnvironment). */
export function forcePolicyFiles(config: Pick<Environment, 'FORCE_POLICIES'>): Map<string, string> {
  return new Map(forcePolicyPairs(config.FORCE_POLICIES));
}

function forcePolicyPairs(value = ''): [string, string][] {
  return value ? value.split(',').map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]) : [];
}
