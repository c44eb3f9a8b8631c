import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export class InboxQuery {
  @ApiPropertyOptional({ default: true, description: 'Only my tasks (the only choice for now)' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  mine = true;

  @ApiPropertyOptional({ enum: ['open', 'acknowledged', 'done', 'all'], default: 'open' }) @IsOptional() @IsIn(['open', 'acknowledged', 'done', 'all'])
  status: 'open' | 'acknowledged' | 'done' | 'all' = 'open';
}
