import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { RepeatSuspectsReport } from './repeat-suspects.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class RepeatSuspectsController {
  constructor(private readonly report: RepeatSuspectsReport) {}

  @Get('repeat-suspects')
  @Roles('supervisor', 'cps')
  @ApiOperation({ summary: 'Open cases whose suspect has two or more NFA decisions for penetrative offences in five years, with the cases that caused each flag (ids and URNs only)' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.report.list(principal);
  }
}
