import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/principal';
import { DATA_SOURCE, SMTP_PROBE, type SmtpProbe, TEMPORAL_CLIENT } from '../infrastructure/tokens';

type Status = 'up' | 'down';

/** Liveness of what the system depends on; 503 when any is down. Names components, never secrets. */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(SMTP_PROBE) private readonly smtp: SmtpProbe,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) res: Response) {
    const [database, temporal, smtp] = await Promise.all([
      probe(() => this.db.query('SELECT 1')),
      probe(() => this.temporal.workflowService.getSystemInfo({})),
      probe(() => this.smtp()),
    ]);
    const status: Status = [database, temporal, smtp].every((s) => s === 'up') ? 'up' : 'down';
    res.status(status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status, checks: { database, temporal, smtp } };
  }
}

async function probe(check: () => Promise<unknown>, timeoutMs = 3000): Promise<Status> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), timeoutMs); });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
