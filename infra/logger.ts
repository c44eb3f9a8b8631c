import pino, { type Logger } from 'pino';

/**
 * Structured logs. Case data never reaches a log line: callers log ids and enums only, and these paths are
 * redacted in case one slips through (tokens, bodies, personal fields). Lines go to stdout, or are appended to the
 * file named in LOG_DESTINATION (how tests read back every line the API and the worker wrote).
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const file = process.env.LOG_DESTINATION;
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
  }, file ? pino.destination({ dest: file, append: true, sync: true, mkdir: true }) : undefined);
}

export type { Logger };
