import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { VICTIM_CONTACT_KINDS, type VictimContactKind } from '../../workflows/contracts';
import { TEXT_MAX } from '../common/dto';

export class VictimContactDto {
  @ApiProperty({ enum: VICTIM_CONTACT_KINDS }) @IsIn(VICTIM_CONTACT_KINDS)
  kind!: VictimContactKind;

  @ApiProperty({ description: 'What was said or agreed (stored, never emailed)' }) @IsString() @Length(1, TEXT_MAX)
  note!: string;
}

export class WithdrawalReviewDto {
  @ApiProperty({ enum: ['re-engaged', 'evidence-led', 'nfa'], description: "'nfa' finalises as outcome 16" }) @IsIn(['re-engaged', 'evidence-led', 'nfa'])
  decision!: 're-engaged' | 'evidence-led' | 'nfa';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  rationale!: string;
}

export class PoliceNfaDto {
  @ApiProperty({ enum: [10, 12, 13, 14, 15, 16], description: 'Home Office outcome code' }) @IsIn([10, 12, 13, 14, 15, 16])
  outcomeCode!: 10 | 12 | 13 | 14 | 15 | 16;

  @ApiProperty() @IsString() @Length(20, TEXT_MAX)
  rationale!: string;
}

export class ReopenDto {
  @ApiProperty({ enum: ['new-evidence', 'review-upheld'] }) @IsIn(['new-evidence', 'review-upheld'])
  ground!: 'new-evidence' | 'review-upheld';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;
}
