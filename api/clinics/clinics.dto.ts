import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CLINIC_OUTCOMES, type ClinicOutcome } from '../../workflows/contracts/commands';
import { SLUG, TEXT_MAX } from '../common/dto';

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const DURATION = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/;
const present = (_o: unknown, v: unknown) => v !== undefined;

export class CreateClinicScheduleDto {
  @ApiProperty({ example: 'surrey-rasso', description: 'The police unit whose clinic this is' }) @Matches(SLUG, { message: 'unit must be a unit id' })
  unit!: string;

  @ApiProperty({ example: '2026-12-01T10:00', description: 'The first sitting, local wall-clock time in `timezone`' })
  @IsString() @Matches(LOCAL_TIME, { message: 'firstSittingAt must be a local date and time, YYYY-MM-DDTHH:mm' })
  firstSittingAt!: string;

  @ApiProperty({ example: 'Europe/London' }) @IsString() @Length(1, 64)
  timezone!: string;

  @ApiProperty({ example: 'FREQ=WEEKLY;INTERVAL=2', description: 'RFC 5545 recurrence rule parts (no DTSTART or TZID)' }) @IsString() @Length(6, 500)
  rrule!: string;

  @ApiProperty({ example: 90, minimum: 5, maximum: 1440 }) @IsInt() @Min(5) @Max(1440)
  durationMinutes!: number;

  @ApiProperty({ example: 'P2D', description: 'How long before each sitting its agenda is built and invites go (ISO-8601 duration)' })
  @IsString() @Matches(DURATION, { message: 'agendaLeadTime must be an ISO-8601 duration of weeks, days, hours or minutes (P2D, PT4H)' })
  agendaLeadTime!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The CPS liaison prosecutor; by default one of the CPS team serving the unit' })
  @ValidateIf(present) @IsUUID()
  liaisonId?: string;

  @ApiPropertyOptional({ example: 'Interview room 2 / video link' }) @ValidateIf(present) @IsString() @Length(1, 200)
  location?: string;
}

export class UpdateClinicScheduleDto {
  @ApiPropertyOptional({ example: '2027-01-05T10:00' })
  @ValidateIf(present) @IsString() @Matches(LOCAL_TIME, { message: 'firstSittingAt must be a local date and time, YYYY-MM-DDTHH:mm' })
  firstSittingAt?: string;

  @ApiPropertyOptional({ example: 'Europe/London' }) @ValidateIf(present) @IsString() @Length(1, 64)
  timezone?: string;

  @ApiPropertyOptional({ example: 'FREQ=WEEKLY' }) @ValidateIf(present) @IsString() @Length(6, 500)
  rrule?: string;

  @ApiPropertyOptional({ minimum: 5, maximum: 1440 }) @ValidateIf(present) @IsInt() @Min(5) @Max(1440)
  durationMinutes?: number;

  @ApiPropertyOptional({ example: 'P2D' })
  @ValidateIf(present) @IsString() @Matches(DURATION, { message: 'agendaLeadTime must be an ISO-8601 duration of weeks, days, hours or minutes (P2D, PT4H)' })
  agendaLeadTime?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @ValidateIf(present) @IsUUID()
  liaisonId?: string;

  @ApiPropertyOptional() @ValidateIf(present) @IsString() @Length(1, 200)
  location?: string;

  @ApiPropertyOptional({ enum: ['active', 'paused'], description: 'Pause or resume the schedule; past sittings are kept either way' })
  @ValidateIf(present) @IsIn(['active', 'paused'])
  status?: 'active' | 'paused';
}

export class ListClinicSchedulesQuery {
  @ApiPropertyOptional({ description: 'Only this unit’s schedules' }) @IsOptional() @Matches(SLUG, { message: 'unit must be a unit id' })
  unit?: string;
}

export class CreateClinicDto {
  @ApiProperty({ example: 'surrey-rasso' }) @Matches(SLUG, { message: 'unit must be a unit id' })
  unit!: string;

  @ApiProperty({ example: '2026-12-03T14:00:00Z', description: 'When the clinic sits (ISO-8601 instant)' }) @IsDateString({ strict: true })
  sittingAt!: string;

  @ApiPropertyOptional({ example: 60, minimum: 5, maximum: 1440 }) @ValidateIf(present) @IsInt() @Min(5) @Max(1440)
  durationMinutes?: number;

  @ApiPropertyOptional({ format: 'uuid' }) @ValidateIf(present) @IsUUID()
  liaisonId?: string;

  @ApiPropertyOptional() @ValidateIf(present) @IsString() @Length(1, 200)
  location?: string;
}

export class ListClinicsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(SLUG, { message: 'unit must be a unit id' })
  unit?: string;

  @ApiPropertyOptional({ description: 'Sittings at or after this instant' }) @IsOptional() @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Sittings before this instant' }) @IsOptional() @IsDateString({ strict: true })
  to?: string;
}

export class ClinicReferralDto {
  @ApiProperty({ description: 'Why the case should go to the next clinic (kept with the case, never emailed)' }) @IsString() @Length(1, TEXT_MAX)
  reason!: string;
}

export class ActionDueDateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID()
  actionId!: string;

  @ApiProperty({ example: '2027-01-20T17:00:00Z', description: 'The action\'s new due date, agreed at the clinic' }) @IsDateString({ strict: true })
  dueAt!: string;
}

export class ClinicOutcomeDto {
  @ApiProperty({ enum: CLINIC_OUTCOMES }) @IsIn(CLINIC_OUTCOMES)
  outcome!: ClinicOutcome;

  @ApiProperty({ description: 'What the clinic decided and why (kept with the case, never emailed)' }) @IsString() @Length(1, TEXT_MAX)
  note!: string;

  @ApiPropertyOptional({ type: [ActionDueDateDto], description: 'For amend-plan: each action re-dated, the clinic being the approval' })
  @ValidateIf(present) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ActionDueDateDto)
  actionDueDates?: ActionDueDateDto[];
}

export class UpdateClinicDto {
  @ApiPropertyOptional({ example: '2027-01-08T14:00:00Z', description: 'Move the sitting (its invite goes again with a raised SEQUENCE)' })
  @ValidateIf(present) @IsDateString({ strict: true })
  sittingAt?: string;

  @ApiPropertyOptional({ enum: ['cancelled'], description: 'Cancel the sitting (METHOD:CANCEL to every attendee)' })
  @ValidateIf(present) @IsIn(['cancelled'])
  status?: 'cancelled';
}
