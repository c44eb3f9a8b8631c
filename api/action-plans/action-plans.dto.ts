import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { TEXT_MAX } from '../common/dto';

export class ReviewPlanDto {
  @ApiProperty({ enum: ['ready-to-submit', 'continue'] }) @IsIn(['ready-to-submit', 'continue'])
  outcome!: 'ready-to-submit' | 'continue';

  @ApiProperty({ required: false }) @IsOptional() @IsString() @Length(1, TEXT_MAX)
  note?: string;
}
