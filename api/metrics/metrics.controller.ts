import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { FailedAuthLimiter } from '../hardening/failed-auth';
import { ApiMetrics } from './api-metrics';

/** Who may scrape: holders of METRICS_TOKEN; with none configured, callers on this machine only. */
export class MetricsAccess {
  private readonly digest?: Buffer;

  constructor(token: string | undefined, private readonly failures: FailedAuthLimiter) {
    this.digest = token ? sha256(token) : undefined;
  }

  /**
   * Throws the refusal: 401 for a missing or wrong token (counted as a failed authentication, 429 past the limit, as
   * the auth guard does), 403 for a caller beyond this machine when no token is configured. A request that came through
   * a proxy (X-Forwarded-For, Forwarded) is not this machine's, whatever address the proxy called from.
   */
  check(req: Request, res: Response): void {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (!this.digest) {
      const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
      if (proxied || !isLoopback(address)) throw ApiError.forbidden('Metrics are served to this machine only: set METRICS_TOKEN to scrape from elsewhere.');
      return;
    }
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme === 'Bearer' && token && timingSafeEqual(sha256(token), this.digest)) return;
    const wait = this.failures.blockedFor(address);
    if (wait !== undefined) {
      res.setHeader('Retry-After', String(wait));
      throw ApiError.tooManyRequests('Too many failed attempts to authenticate; wait a moment and try again.');
    }
    this.failures.recordFailure(address);
    throw ApiError.unauthorized('The metrics token is missing or wrong.');
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

export function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

/** Prometheus' scrape target: text exposition format, no user login (see MetricsAccess). */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics, private readonly access: MetricsAccess) {}

  @Get()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Prometheus metrics: process, HTTP request durations by route, and the business gauges (open cases by stage, overdue clocks, unacknowledged escalations, failing emails)',
    description: 'Bearer METRICS_TOKEN (not a person\'s token); with no METRICS_TOKEN configured, callers on the API\'s own machine only.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  async scrape(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    this.access.check(req, res);
    const text = await this.metrics.render();
    res.setHeader('Content-Type', this.metrics.contentType);
    return text;
  }
}
