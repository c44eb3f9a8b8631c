import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IsTimestamp } from '../../common/validation';

export class AuditQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ description: 'Person id (token subject) of who acted' }) @IsOptional() @IsString() @Length(1, 200)
  actorId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this time' }) @IsOptional() @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this time' }) @IsOptional() @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  page = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  pageSize = 50;
}
