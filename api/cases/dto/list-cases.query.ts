import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { CASE_STAGES, type CaseStage } from '../../../workflows/contracts';

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: CASE_STAGES }) @IsOptional() @IsIn(CASE_STAGES)
  stage?: CaseStage;

  @ApiPropertyOptional() @IsOptional() @IsString()
  unit?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  officerId?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  page = 1;

  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize = 25;
}
