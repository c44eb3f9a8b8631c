import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { DashboardService } from './dashboard.service';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Roles('supervisor')
  @ApiOperation({ summary: "The supervisor's unit: overdue items by age band and owner, bail expiring in 30 days, unacknowledged escalations, files awaiting a gatekeeper" })
  forUnit(@CurrentPrincipal() principal: Principal) {
    return this.dashboard.forUnit(principal);
  }
}
