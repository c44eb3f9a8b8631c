import type { LoggerService } from '@nestjs/common';
import { createLogger, type Logger } from '../../infra/logger';

/** Nest's logger interface over pino, so the API logs one structured stream like the worker. */
export class NestPinoLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(level?: string) {
    this.pino = createLogger('api', level);
  }

  log(message: unknown, context?: string) { this.pino.info({ context }, String(message)); }
  error(message: unknown, _trace?: string, context?: string) { this.pino.error({ context }, String(message)); }
  warn(message: unknown, context?: string) { this.pino.warn({ context }, String(message)); }
  debug(message: unknown, context?: string) { this.pino.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string) { this.pino.trace({ context }, String(message)); }
}
