import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { SLUG, TEXT_MAX } from '../common/dto';

const present = (_o: unknown, v: unknown) => v !== undefined;

export class PanelScopeDto {
  @ApiPropertyOptional({ example: 'fixture-force', description: 'The force whose cases are sampled (default: the convenor\'s)' }) @ValidateIf(present) @Matches(SLUG)
  force?: string;

  @ApiPropertyOptional({ example: 'surrey-rasso', description: 'Only this unit\'s cases' }) @ValidateIf(present) @Matches(SLUG)
  unit?: string;
}

export class PanelPeriodDto {
  @ApiProperty({ example: '2026-10-01T00:00:00Z', description: 'Cases closed from (inclusive)' }) @IsDateString()
  from!: string;

  @ApiProperty({ example: '2027-01-01T00:00:00Z', description: 'Cases closed before (exclusive)' }) @IsDateString()
  to!: string;
}

export class CreatePanelDto {
  @ApiProperty({ type: PanelScopeDto }) @ValidateNested() @Type(() => PanelScopeDto)
  scope!: PanelScopeDto;

  @ApiProperty({ type: PanelPeriodDto }) @ValidateNested() @Type(() => PanelPeriodDto)
  period!: PanelPeriodDto;

  @ApiProperty({ example: '2027-01-15T10:00:00Z' }) @IsDateString()
  sittingAt!: string;

  @ApiProperty({ type: [String], description: 'People ids of the members (role `panel`, or staff)' }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) @IsUUID('4', { each: true })
  members!: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'NFA cases to draw, in place of the policy\'s size' }) @IsOptional() @IsInt() @Min(1) @Max(100)
  sample?: number;

  @ApiPropertyOptional({ description: 'The seed to draw from (recorded); by default a random one' }) @IsOptional() @IsString() @Length(1, 100)
  seed?: string;
}

export class PanelScoresDto {
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) suspectFocus!: number;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) victimEngagement!: number;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) proportionality!: number;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) timeliness!: number;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) rationaleQuality!: number;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) language!: number;
}

export class ReferralRecommendationDto {
  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;
}

export class PanelReviewDto {
  @ApiProperty({ type: PanelScoresDto }) @ValidateNested() @Type(() => PanelScoresDto)
  scores!: PanelScoresDto;

  @ApiProperty({ type: [String], description: 'Theme codes from the policy\'s list' }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true })
  themes!: string[];

  @ApiProperty() @IsString() @Length(0, TEXT_MAX)
  comments!: string;

  @ApiPropertyOptional({ type: ReferralRecommendationDto }) @ValidateIf(present) @ValidateNested() @Type(() => ReferralRecommendationDto)
  recommendReferral?: ReferralRecommendationDto;
}

export class LearningActionDto {
  @ApiProperty() @IsString() @Length(1, 2_000)
  description!: string;

  @ApiProperty({ format: 'uuid' }) @IsUUID()
  ownerId!: string;

  @ApiProperty({ example: '2027-03-01T17:00:00Z' }) @IsDateString()
  dueAt!: string;
}

export class ReferralOutcomeDto {
  @ApiProperty({ enum: ['referred-for-review', 're-investigation', 'no-action'] }) @IsIn(['referred-for-review', 're-investigation', 'no-action'])
  outcome!: 'referred-for-review' | 're-investigation' | 'no-action';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  note!: string;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const LEAD_TIME = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/;

export class CreatePanelScheduleDto {
  @ApiProperty({ type: PanelScopeDto }) @ValidateNested() @Type(() => PanelScopeDto)
  scope!: PanelScopeDto;

  @ApiProperty({ example: '2027-01-14T10:00', description: 'The first sitting, local wall-clock time in `timezone`' })
  @IsString() @Matches(LOCAL_TIME, { message: 'firstSittingAt must be a local date and time, YYYY-MM-DDTHH:mm' })
  firstSittingAt!: string;

  @ApiProperty({ example: 'Europe/London' }) @IsString() @Length(1, 64)
  timezone!: string;

  @ApiPropertyOptional({ example: 'FREQ=MONTHLY;INTERVAL=3', description: 'RFC 5545 recurrence rule parts; by default the policy\'s (quarterly)' })
  @ValidateIf(present) @IsString() @Length(6, 500)
  rrule?: string;

  @ApiPropertyOptional({ example: 'P7D', description: 'How long before each sitting its sample is drawn (default P7D)' })
  @ValidateIf(present) @IsString() @Matches(LEAD_TIME, { message: 'leadTime must be an ISO-8601 duration of weeks, days, hours or minutes' })
  leadTime?: string;

  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) @IsUUID('4', { each: true })
  members!: string[];
}
