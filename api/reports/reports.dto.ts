import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MONTH_PATTERN, QUARTER_PATTERN } from './periods';

export class MonthlyReportQuery {
  @ApiProperty({ example: '2026-10', pattern: MONTH_PATTERN.source, description: 'A calendar month in Europe/London (YYYY-MM) that has begun' })
  @IsString() @Matches(MONTH_PATTERN, { message: 'month must be a month as YYYY-MM (e.g. 2026-10)' })
  month!: string;

  @ApiPropertyOptional({ description: 'One police unit of the caller\'s scope (default: their force or CPS area as a whole)' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  unit?: string;
}

export class QuarterlyReportQuery {
  @ApiProperty({ example: '2026-Q3', pattern: QUARTER_PATTERN.source, description: 'A calendar quarter in Europe/London (YYYY-Qn) that has begun' })
  @IsString() @Matches(QUARTER_PATTERN, { message: 'quarter must be a quarter as YYYY-Qn (e.g. 2026-Q3)' })
  quarter!: string;

  @ApiPropertyOptional({ description: 'One police unit of the caller\'s scope (default: their force or CPS area as a whole)' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  unit?: string;
}
