import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Write nothing and answer what the import would do' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({ enum: ['jsonl', 'csv'], description: 'The file\'s format (default: from its Content-Type)' })
  @IsOptional() @IsIn(['jsonl', 'csv'])
  format?: 'jsonl' | 'csv';
}

export class TemplateQuery {
  @ApiPropertyOptional({ enum: ['jsonl', 'csv'] }) @IsOptional() @IsIn(['jsonl', 'csv'])
  format?: 'jsonl' | 'csv';
}
