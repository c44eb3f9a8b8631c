import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
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
