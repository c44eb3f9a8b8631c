import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { WORK_PAGE_SIZE, WorkService } from './work.service';

export class WorkQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  page = 1;

  @ApiPropertyOptional({ default: WORK_PAGE_SIZE, minimum: 1, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize = WORK_PAGE_SIZE;
}

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('my-work')
export class WorkController {
  constructor(private readonly work: WorkService) {}

  @Get()
  @Roles('officer', 'supervisor', 'cps')
  @ApiOperation({ summary: 'My work: open reminders and escalations, most urgent first, and the cases waiting for me to act' })
  myWork(@CurrentPrincipal() principal: Principal, @Query() query: WorkQuery) {
    return this.work.myWork(principal, query);
  }
}
