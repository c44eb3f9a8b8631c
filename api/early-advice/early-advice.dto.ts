import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf, ValidateNested,
} from 'class-validator';
import { EA_REJECTION_REASONS, type EaRejectionReason } from '../../workflows/contracts';
import { TEXT_MAX } from '../common/dto';
import { IsTimestamp } from '../common/validation';

/** DG6 ¶7.8 minimum content of an Early Advice request (domain.md §2.2). */
export class RequestEarlyAdviceDto {
  @ApiProperty({ description: 'Factual summary' }) @IsString() @Length(20, TEXT_MAX)
  summary!: string;

  @ApiProperty({ type: [String], description: 'Lines of inquiry done, ongoing and planned, with expected results and timescales' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 2000, { each: true })
  linesOfInquiry!: string[];

  @ApiProperty({ type: [String], description: "Issues identified, including any account from the suspect" })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 2000, { each: true })
  issues!: string[];

  @ApiProperty({ type: [String], description: 'The specific matters on which advice is sought' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 2000, { each: true })
  questions!: string[];

  @ApiPropertyOptional({ type: [String], description: 'Supporting material supplied (e.g. ABE interview, interview note)' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 500, { each: true })
  material?: string[];
}

export class TriageEarlyAdviceDto {
  @ApiProperty({ enum: ['accept', 'reject'] }) @IsIn(['accept', 'reject'])
  decision!: 'accept' | 'reject';

  @ApiPropertyOptional({ format: 'uuid', description: 'Required to accept: the prosecutor allocated' })
  @ValidateIf((o: TriageEarlyAdviceDto) => o.decision === 'accept') @IsUUID()
  prosecutorId?: string;

  @ApiPropertyOptional({ enum: EA_REJECTION_REASONS, isArray: true, description: 'Required to reject' })
  @ValidateIf((o: TriageEarlyAdviceDto) => o.decision === 'reject') @IsArray() @ArrayMinSize(1) @IsIn(EA_REJECTION_REASONS, { each: true })
  reasons?: EaRejectionReason[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Police to respond by (default: policy earlyAdvice.policeResponse)' })
  @IsOptional() @IsTimestamp()
  respondBy?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, TEXT_MAX)
  note?: string;
}

export class PlannedActionDto {
  @ApiProperty() @IsString() @Length(3, 4000)
  description!: string;

  @ApiProperty({ enum: ['police', 'cps'] }) @IsIn(['police', 'cps'])
  owner!: 'police' | 'cps';

  @ApiProperty({ format: 'date-time', description: 'Due date agreed by the prosecutor and the officer' }) @IsTimestamp()
  dueAt!: string;

  @ApiProperty() @IsBoolean()
  decisionCritical!: boolean;

  @ApiPropertyOptional({ description: 'The evidential issue it addresses' }) @IsOptional() @IsString() @Length(1, 2000)
  reason?: string;
}

export class ActionPlanDto {
  @ApiProperty({ type: [PlannedActionDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(40) @ValidateNested({ each: true }) @Type(() => PlannedActionDto)
  actions!: PlannedActionDto[];
}

export class RecordAdviceDto {
  @ApiProperty() @IsString() @Length(20, TEXT_MAX)
  advice!: string;

  @ApiPropertyOptional({ type: ActionPlanDto }) @IsOptional() @ValidateNested() @Type(() => ActionPlanDto)
  actionPlan?: ActionPlanDto;
}
