import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { CreatePanelScheduleDto } from './panels.dto';
import { PanelSchedulesService } from './panel-schedules.service';

/** When a force's (or a unit's) scrutiny panels sit: quarterly by default. */
@ApiTags('panels')
@ApiBearerAuth()
@Controller('panel-schedules')
export class PanelSchedulesController {
  constructor(private readonly schedules: PanelSchedulesService) {}

  @Post()
  @Roles('supervisor', 'cps')
  @ApiOperation({ summary: 'Schedule panels: a recurrence in a time zone (quarterly by default); each sitting draws its sample a lead time before' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePanelScheduleDto) {
    return this.schedules.create(principal, dto);
  }

  @Get()
  @Roles('supervisor', 'cps')
  @ApiOperation({ summary: 'The panel schedules the caller convenes, each with its next sittings (UTC)' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.schedules.list(principal);
  }
}
