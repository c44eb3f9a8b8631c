import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import { TEXT_MAX } from '../common/dto';
import { IsTimestamp } from '../common/validation';

export class PauseClockDto {
  @ApiProperty({ enum: ['police', 'cps', 'third-party'], description: 'Who holds the case while the clock is paused' }) @IsIn(['police', 'cps', 'third-party'])
  heldBy!: 'police' | 'cps' | 'third-party';

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;
}

export class ChangeDueDateDto {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp()
  dueAt!: string;

  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;

  @ApiProperty({ format: 'uuid', description: 'Who approved the change (police DS or DCP and above)' }) @IsUUID()
  approverId!: string;
}
