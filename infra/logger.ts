import pino, { type Logger } from 'pino';

/**
 * Structured logs. Case data never reaches a log line: callers log ids and enums only, and these paths are
 * redacted in case one slips through (tokens, bodies, personal fields).
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization', 'headers.authorization', 'authorization', 'body', 'req.body',
        '*.victim', '*.suspects', '*.name', '*.email', '*.dateOfBirth', '*.nationalId', 'password', 'secret',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
