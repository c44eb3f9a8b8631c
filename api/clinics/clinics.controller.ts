import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { IdempotencyKey } from '../common/idempotency';
import { UuidParam } from '../common/params';
import { ClinicOutcomeDto, ClinicReferralDto, CreateClinicDto, UpdateClinicDto, CreateClinicScheduleDto, ListClinicSchedulesQuery, ListClinicsQuery, UpdateClinicScheduleDto } from './clinics.dto';
import { ClinicsService } from './clinics.service';

/** Pre-charge case progression clinics: each unit's schedule, its sittings and their agendas. */
@ApiTags('clinics')
@ApiBearerAuth()
@Controller()
export class ClinicsController {
  constructor(private readonly clinics: ClinicsService) {}

  @Post('clinic-schedules')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Schedule a unit’s clinics: a recurrence in a time zone; answers with the next six sittings (UTC)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  createSchedule(@CurrentPrincipal() principal: Principal, @Body() dto: CreateClinicScheduleDto, @IdempotencyKey() key?: string) {
    return this.clinics.createSchedule(principal, dto, key);
  }

  @Get('clinic-schedules')
  @Roles('officer', 'supervisor', 'cps')
  @ApiOperation({ summary: 'The clinic schedules of the units the caller reaches, each with its next sittings' })
  listSchedules(@CurrentPrincipal() principal: Principal, @Query() query: ListClinicSchedulesQuery) {
    return this.clinics.listSchedules(principal, query);
  }

  @Patch('clinic-schedules/:id')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Change a schedule’s cadence, liaison or place, or pause / resume it; past sittings are kept' })
  updateSchedule(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: UpdateClinicScheduleDto) {
    return this.clinics.updateSchedule(principal, id, dto);
  }

  @Post('clinics')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Convene an ad-hoc clinic sitting for a unit; its agenda is built at once' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body returns the first result' })
  createClinic(@CurrentPrincipal() principal: Principal, @Body() dto: CreateClinicDto, @IdempotencyKey() key?: string) {
    return this.clinics.createClinic(principal, dto, key);
  }

  @Get('clinics')
  @Roles('officer', 'supervisor', 'cps')
  @ApiOperation({ summary: 'Clinic sittings of the units the caller reaches, by unit and time' })
  listClinics(@CurrentPrincipal() principal: Principal, @Query() query: ListClinicsQuery) {
    return this.clinics.listClinics(principal, query);
  }

  @Patch('clinics/:id')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Move or cancel a sitting before it sits: every attendee gets the updated invite (SEQUENCE raised) or METHOD:CANCEL' })
  updateClinic(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: UpdateClinicDto) {
    return this.clinics.updateClinic(principal, id, dto);
  }

  @Post('clinics/:id/cases/:caseId/outcome')
  @Roles('supervisor', 'cps')
  @ApiOperation({ summary: 'Record what the clinic decided for a case on its agenda; applied to the case through its command Update' })
  recordOutcome(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @UuidParam('caseId') caseId: string, @Body() dto: ClinicOutcomeDto) {
    return this.clinics.recordOutcome(principal, id, caseId, dto);
  }

  @Post('cases/:id/clinic-referral')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Refer a case to its unit’s next clinic (reason `referred` on the next agenda)' })
  refer(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: ClinicReferralDto) {
    return this.clinics.refer(principal, id, dto);
  }

  @Get('clinics/:id')
  @Roles('officer', 'supervisor', 'cps')
  @ApiOperation({ summary: 'A sitting: attendees and its agenda (each case with the reasons it is there and any outcome)' })
  getClinic(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.clinics.getClinic(principal, id);
  }
}
