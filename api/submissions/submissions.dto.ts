import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf, ValidateNested } from 'class-validator';
import { FILE_RETURN_REASONS, type FileReturnReason } from '../../workflows/contracts';
import { TEXT_MAX } from '../common/dto';
import { ActionPlanDto } from '../early-advice/early-advice.dto';
import { IsTimestamp } from '../common/validation';

/** The National File Standard checklist (domain.md §2.3): each item supplied or not. */
export class NfsChecklistDto {
  @ApiProperty() @IsBoolean() mg3!: boolean;
  @ApiProperty({ description: 'MG5 case summary' }) @IsBoolean() caseSummary!: boolean;
  @ApiProperty({ description: "Victim's account (ABE / statement)" }) @IsBoolean() victimAccount!: boolean;
  @ApiProperty({ description: 'Key witness statements (MG11)' }) @IsBoolean() keyWitnessStatements!: boolean;
  @ApiProperty({ description: 'Record of suspect interview (MG15)' }) @IsBoolean() suspectInterview!: boolean;
  @ApiProperty({ description: 'Exhibits (MG12)' }) @IsBoolean() exhibits!: boolean;
  @ApiProperty({ description: 'Disclosure schedules (MG6C/D/E)' }) @IsBoolean() disclosureSchedules!: boolean;
  @ApiProperty({ description: 'Previous convictions of suspect, victim and witnesses' }) @IsBoolean() previousConvictions!: boolean;
}

export class SubmitFileDto {
  @ApiProperty({ enum: ['full-code', 'threshold'] }) @IsIn(['full-code', 'threshold'])
  test!: 'full-code' | 'threshold';

  @ApiProperty({ enum: ['red', 'green', 'green-priority'] }) @IsIn(['red', 'green', 'green-priority'])
  category!: 'red' | 'green' | 'green-priority';

  @ApiProperty({ type: NfsChecklistDto }) @ValidateNested() @Type(() => NfsChecklistDto)
  checklist!: NfsChecklistDto;

  @ApiProperty({ description: 'MG3: the report to the CPS for a charging decision' }) @IsString() @Length(20, TEXT_MAX)
  report!: string;
}

export class ReturnFileDto {
  @ApiProperty({ enum: FILE_RETURN_REASONS, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(FILE_RETURN_REASONS, { each: true })
  reasons!: FileReturnReason[];

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, TEXT_MAX)
  note?: string;
}

export class TriageFileDto {
  @ApiProperty({ enum: ['accept', 'return'] }) @IsIn(['accept', 'return'])
  decision!: 'accept' | 'return';

  @ApiPropertyOptional({ format: 'uuid', description: 'Required to accept: the reviewing prosecutor' })
  @ValidateIf((o: TriageFileDto) => o.decision === 'accept') @IsUUID()
  prosecutorId?: string;

  @ApiPropertyOptional({ enum: FILE_RETURN_REASONS, isArray: true }) @ValidateIf((o: TriageFileDto) => o.decision === 'return') @IsArray() @ArrayMinSize(1) @IsIn(FILE_RETURN_REASONS, { each: true })
  reasons?: FileReturnReason[];
}

export class ChargingDecisionDto {
  @ApiProperty({ enum: ['charge', 'nfa', 'action-plan', 'returned'] }) @IsIn(['charge', 'nfa', 'action-plan', 'returned'])
  decision!: 'charge' | 'nfa' | 'action-plan' | 'returned';

  @ApiPropertyOptional({ enum: [9, 15], description: 'Home Office outcome code for an NFA: 15 evidential, 9 public interest' })
  @ValidateIf((o: ChargingDecisionDto) => o.decision === 'nfa') @IsIn([9, 15])
  outcomeCode?: 9 | 15;

  @ApiProperty({ description: 'Rationale (evidential and public interest stages)' }) @IsString() @Length(20, TEXT_MAX)
  grounds!: string;

  @ApiPropertyOptional({ type: ActionPlanDto }) @ValidateIf((o: ChargingDecisionDto) => o.decision === 'action-plan') @ValidateNested() @Type(() => ActionPlanDto)
  actionPlan?: ActionPlanDto;

  @ApiPropertyOptional({ format: 'date-time', description: 'The investigator–prosecutor meeting held before an NFA in a rape case' })
  @IsOptional() @IsTimestamp()
  preNfaMeetingAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The DCP who reviewed a second action plan after a full code submission' })
  @IsOptional() @IsUUID()
  dcpReviewerId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'A charge on the Threshold Test: when the Full Code Test review is due (default: the policy\u2019s thresholdTest.review)' })
  @IsOptional() @IsTimestamp()
  fullCodeReviewBy?: string;

  @ApiPropertyOptional({ enum: FILE_RETURN_REASONS, isArray: true, description: "For decision 'returned'" })
  @ValidateIf((o: ChargingDecisionDto) => o.decision === 'returned') @IsArray() @ArrayMinSize(1) @IsIn(FILE_RETURN_REASONS, { each: true })
  reasons?: FileReturnReason[];
}
