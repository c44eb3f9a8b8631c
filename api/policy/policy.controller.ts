import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { RegionPolicies } from '../../policy/load-policy';
import { ROLES } from '../../workflows/contracts';
import { Roles } from '../auth/principal';
import { SLUG } from '../common/dto';
import { POLICIES } from '../infrastructure/tokens';
import { OrganisationService } from '../organisation/organisation.service';

export class PolicyQuery {
  @ApiPropertyOptional({ example: 'surrey', description: "The force whose new cases' policy to show (its own, else the region's); unset, the region's" })
  @IsOptional() @Matches(SLUG, { message: 'forceId must be a lower-case id (letters, digits, dashes)' })
  forceId?: string;
}

/** The deadline and escalation policy new cases start under: every clock, reminder and ladder step. */
@ApiTags('policy')
@ApiBearerAuth()
@Controller('policy')
export class PolicyController {
  constructor(@Inject(POLICIES) private readonly policies: RegionPolicies, private readonly organisation: OrganisationService) {}

  @Get()
  @Roles(...ROLES)
  @ApiOperation({ summary: "The regional policy, or a force's (404 for an unknown force)" })
  async get(@Query() query: PolicyQuery) {
    const policy = query.forceId ? this.policies.forForce((await this.organisation.force(query.forceId)).id) : this.policies.region;
    const { nonWorkingDays, ...rest } = policy;
    return { ...rest, nonWorkingDays: { count: nonWorkingDays.length, from: nonWorkingDays[0], to: nonWorkingDays.at(-1), days: nonWorkingDays } };
  }
}
