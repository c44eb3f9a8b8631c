import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { IdempotencyKey } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { CasesService } from './cases.service';
import { ListCasesQuery } from './dto/list-cases.query';
import { RegisterCaseDto } from './dto/register-case.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Roles('officer', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  register(@CurrentPrincipal() principal: Principal, @Body() dto: RegisterCaseDto, @IdempotencyKey() key?: string) {
    return this.cases.register(principal, dto, key);
  }

  @Get()
  @Roles('officer', 'supervisor', 'cps')
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCasesQuery) {
    return this.cases.list(principal, query);
  }

  @Get(':id')
  @Roles('officer', 'supervisor', 'cps')
  @ApiQuery({ name: 'include', required: false, enum: ['actions'], description: 'actions: also what the caller may do on the case now (availableActions)' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query('include') include?: string) {
    // Other query parameters are ignored, as they always were on this route (links may carry their own).
    return this.cases.get(principal, id, { actions: include === 'actions' });
  }

  @Get(':id/actions')
  @Roles('officer', 'supervisor', 'cps')
  @ApiOperation({ summary: 'What the caller may do on this case now (each command the pipeline rules would accept from them, and the item it is about)' })
  actions(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.cases.actions(principal, id);
  }

  @Get(':id/timeline')
  @Roles('officer', 'supervisor', 'cps')
  timeline(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.cases.timeline(principal, id);
  }
}
