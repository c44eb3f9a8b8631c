import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { TEXT_MAX } from '../common/dto';

export class RequestReviewDto {
  @ApiProperty({ enum: ['police', 'cps'], description: 'Police scheme for police NFA decisions, CPS scheme for CPS decisions' }) @IsIn(['police', 'cps'])
  scheme!: 'police' | 'cps';

  @ApiProperty({ description: "The victim's request as received" }) @IsString() @Length(1, TEXT_MAX)
  request!: string;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: ['upheld', 'overturned'] }) @IsIn(['upheld', 'overturned'])
  outcome!: 'upheld' | 'overturned';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reasons!: string;
}
