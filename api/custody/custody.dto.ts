import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { COURT_BAIL_LIMITS, type CourtBailLimit } from '../../workflows/contracts';
import { TEXT_MAX } from '../common/dto';
import { IsTimestamp } from '../common/validation';

export class BailDto {
  @ApiProperty({ format: 'date-time', description: 'The bail start date (the 3-month limit runs from here)' }) @IsTimestamp()
  startedAt!: string;

  @ApiPropertyOptional({ description: 'Conditions (stored, never emailed); the victim\u2019s views were sought' }) @IsOptional() @IsString() @Length(1, TEXT_MAX)
  conditions?: string;

  @ApiProperty({ format: 'uuid', description: 'The custody officer who authorised bail' }) @IsUUID()
  authorisedBy!: string;
}

export class ExtendBailDto {
  @ApiProperty({ format: 'uuid', description: 'Who authorised the extension: an Inspector (to 6 months), a Superintendent (to 9 months)' }) @IsUUID()
  authorisedBy!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Beyond 9 months: the date to which a magistrates\u2019 court extended bail' }) @IsOptional() @IsTimestamp()
  courtOrderedUntil?: string;
}

export class ArrivalInCustodyDto {
  @ApiProperty({ format: 'date-time', description: 'The relevant time: arrival at the police station (PACE s.41(2)); every detention limit counts from it' }) @IsTimestamp()
  relevantTime!: string;

  @ApiProperty({ format: 'uuid', description: 'The custody officer (a directory person with the custody role), whom the detention clock reminds' }) @IsUUID()
  custodyOfficerId!: string;
}

export class DetentionReviewDto {
  @ApiProperty({ format: 'uuid', description: 'The review officer: an Inspector or above not directly involved in the investigation' }) @IsUUID()
  reviewerId!: string;

  @ApiPropertyOptional({ description: 'The review record (stored, never emailed)' }) @IsOptional() @IsString() @Length(1, TEXT_MAX)
  note?: string;
}

export class ExtendDetentionDto {
  @ApiProperty({ format: 'uuid', description: 'The Superintendent (or above) who authorised detention to 36 hours, before the 24 hours ran out' }) @IsUUID()
  authorisedBy!: string;

  @ApiProperty({ description: 'The grounds for the extension (stored, never emailed)' }) @IsString() @Length(1, TEXT_MAX)
  grounds!: string;
}

export class WarrantOfFurtherDetentionDto {
  @ApiProperty({ format: 'date-time', description: 'When the magistrates\u2019 warrant expires: at most 96 hours from the relevant time' }) @IsTimestamp()
  expiresAt!: string;

  @ApiPropertyOptional({ description: 'The court and warrant reference (stored, never emailed)' }) @IsOptional() @IsString() @Length(1, TEXT_MAX)
  note?: string;
}

export class ExceptionallyComplexDto {
  @ApiProperty({ format: 'uuid', description: 'The Commander or Assistant Chief Constable (or above) who designated the case (s.47ZE)' }) @IsUUID()
  authorisedBy!: string;

  @ApiProperty({ format: 'date-time', description: 'When the DPP was consulted' }) @IsTimestamp()
  dppConsultedAt!: string;
}

export class CourtBailApplicationDto {
  @ApiProperty({ enum: COURT_BAIL_LIMITS, description: 'How far from the bail start the court is asked to extend bail: 18 or 24 months only in a case designated exceptionally complex' })
  @IsIn(COURT_BAIL_LIMITS)
  extendTo!: CourtBailLimit;
}

export class CourtBailDecisionDto {
  @ApiProperty({ enum: ['granted', 'refused'] }) @IsIn(['granted', 'refused'])
  decision!: 'granted' | 'refused';

  @ApiPropertyOptional({ format: 'date-time', description: 'Granted: the date to which the court extended bail' })
  @ValidateIf((o: CourtBailDecisionDto) => o.decision === 'granted') @IsTimestamp()
  until?: string;
}
