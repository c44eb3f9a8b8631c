import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { UuidParam } from '../common/params';
import { CaseRestrictionService } from './case-restriction.service';
import { CaseRestrictionDto } from './dto/case-restriction.dto';

/** Restricted cases: visible only to the officer in case and the people named (404 to everyone else). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id/restriction')
export class CaseRestrictionController {
  constructor(private readonly restriction: CaseRestrictionService) {}

  @Get()
  @Roles('officer', 'supervisor', 'cps', 'admin')
  @ApiOperation({ summary: 'Whether the case is restricted, and who is named on it' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string) {
    return this.restriction.get(principal, caseId);
  }

  @Post()
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: "Restrict a case (or lift it): a DI or above of the case's unit, or an administrator" })
  set(@CurrentPrincipal() principal: Principal, @UuidParam() caseId: string, @Body() dto: CaseRestrictionDto) {
    return this.restriction.set(principal, caseId, dto);
  }
}
