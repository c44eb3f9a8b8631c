import { Controller, Get, Header, Headers, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import type { Report } from './report';
import { reportCsvFileName, reportToCsv } from './report-csv';
import { MonthlyReportQuery, QuarterlyReportQuery } from './reports.dto';
import { ReportsService } from './reports.service';

/** CSV when the caller asks for it (`Accept: text/csv`), JSON otherwise. */
const wantsCsv = (accept?: string) => !!accept && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);

const ACCEPT = { name: 'Accept', required: false, description: '`text/csv` for the long-form CSV (one row per scope, period and figure); JSON otherwise' };

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('monthly')
  @Roles('supervisor', 'cps', 'analyst')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The monthly RASSO pack (domain.md §6.1): figures for the month, the month before and the same month a year before, by unit, by force and over the caller\'s scope, a 13-month trend and each figure\'s definition. Aggregates only.' })
  @ApiHeader(ACCEPT)
  @ApiProduces('application/json', 'text/csv')
  async monthly(@CurrentPrincipal() principal: Principal, @Query() query: MonthlyReportQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response) {
    return this.answer(await this.reports.report(principal, 'monthly', query.month, query.unit), accept, res);
  }

  @Get('quarterly')
  @Roles('supervisor', 'cps', 'analyst')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The quarterly report (domain.md §6.2): figures for the quarter, the quarter before and the same quarter a year before, by unit, by force and over the caller\'s scope, a 13-quarter trend and each figure\'s definition. Aggregates only.' })
  @ApiHeader(ACCEPT)
  @ApiProduces('application/json', 'text/csv')
  async quarterly(@CurrentPrincipal() principal: Principal, @Query() query: QuarterlyReportQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response) {
    return this.answer(await this.reports.report(principal, 'quarterly', query.quarter, query.unit), accept, res);
  }

  private answer(report: Report, accept: string | undefined, res: Response): Report | StreamableFile {
    if (!wantsCsv(accept)) return report;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${reportCsvFileName(report)}"`);
    return new StreamableFile(Buffer.from(reportToCsv(report), 'utf8'));
  }
}
