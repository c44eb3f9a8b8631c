import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ROLES, type PolicySnapshot } from '../../workflows/contracts';
import { Roles } from '../auth/principal';
import { POLICY } from '../infrastructure/tokens';

/** The deadline and escalation policy new cases start under: every clock, reminder and ladder step. */
@ApiTags('policy')
@ApiBearerAuth()
@Controller('policy')
export class PolicyController {
  constructor(@Inject(POLICY) private readonly policy: PolicySnapshot) {}

  @Get()
  @Roles(...ROLES)
  get() {
    const { nonWorkingDays, ...rest } = this.policy;
    return { ...rest, nonWorkingDays: { count: nonWorkingDays.length, from: nonWorkingDays[0], to: nonWorkingDays.at(-1), days: nonWorkingDays } };
  }
}
