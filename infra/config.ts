import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';

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

  @IsOptional() @IsString()
  OIDC_AUDIENCE?: string;

  /** `keyId:base64Key[,keyId:base64Key…]`; the first key encrypts, every listed key decrypts (rotation). */
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$/, {
    message: 'PAYLOAD_KEYS must be keyId:base64key pairs separated by commas',
  })
  PAYLOAD_KEYS!: string;

  @IsOptional() @IsString()
  POLICY_FILE?: string;

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
}

/** The variables a deployment sets (docker-compose and the README list exactly these). */
export const DEPLOYMENT_VARIABLES = [
  'PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SMTP_URL', 'MAIL_FROM',
  'JWT_SECRET', 'OIDC_ISSUER', 'OIDC_AUDIENCE', 'PAYLOAD_KEYS', 'POLICY_FILE', 'PUBLIC_URL', 'LOG_LEVEL',
] as const;

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
  if (!config.JWT_SECRET && !config.OIDC_ISSUER) problems.push('set JWT_SECRET (HS256) or OIDC_ISSUER + OIDC_AUDIENCE');
  if (config.OIDC_ISSUER && !config.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE is required with OIDC_ISSUER');
  if (problems.length) throw new ConfigError(problems);
  return config;
}
