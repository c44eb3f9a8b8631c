import { Controller, Get, Query, Render, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { chartDataUrl, reportCharts } from '../../../activities/reports/charts';
import { figureGroups, periodHeadings, periodLabel, trendTable, unitTable } from '../../../activities/reports/figure-rows';
import { CurrentPrincipal, Page, type Principal, Roles } from '../../../api/auth/principal';
import { reportCsvFileName, reportToCsv } from '../../../api/reports/report-csv';
import { ReportReader } from '../../../api/reports/report-reader';

interface ReportsQuery { period?: string; unit?: string }

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The monthly RASSO pack and the quarterly report on screen, for whoever reads them on the API (supervisors, the CPS,
 * analysts; ReportsService's scope rule): a month or quarter and a
 * unit chosen with a GET form, the same charts as the scheduled email (SVG as `data:` images, which the CSP allows,
 * each with its text alternative), the figures in tables with the period before and the year before, and the CSV.
 */
@ApiExcludeController()
@Page()
@Controller('reports')
export class ReportsPages {
  constructor(private readonly reader: ReportReader) {}

  @Get()
  @Roles('supervisor', 'cps', 'analyst')
  @Render('pages/reports.njk')
  async show(@CurrentPrincipal() principal: Principal, @Query() query: ReportsQuery) {
    const asked = { period: text(query.period), unit: text(query.unit) };
    const [{ report, period }, units] = await Promise.all([this.reader.read(principal, asked), this.reader.units(principal)]);
    const options = this.reader.periodOptions();
    const item = (kind: 'monthly' | 'quarterly') => (id: string) => ({ value: id, text: `${kind === 'monthly' ? 'Month' : 'Quarter'}: ${periodLabel({ kind, id })}`, selected: id === period.id });
    const search = new URLSearchParams({ period: period.id, ...(asked.unit ? { unit: asked.unit } : {}) }).toString();
    return {
      pageTitle: `${report.kind === 'monthly' ? 'Monthly RASSO pack' : 'Quarterly RASSO report'}: ${periodLabel(report.period)}`,
      report,
      periodName: periodLabel(report.period),
      periodItems: [...options.months.map(item('monthly')), ...options.quarters.map(item('quarterly'))],
      unitItems: [{ value: '', text: 'All my units', selected: !asked.unit }, ...units.map((u) => ({ value: u.id, text: u.name, selected: u.id === asked.unit }))],
      charts: reportCharts(report).map((c) => ({ id: c.id, title: c.title, alt: c.alt, width: c.width, height: c.height, src: chartDataUrl(c) })),
      headings: periodHeadings(report),
      groups: figureGroups(report.total),
      trend: trendTable(report),
      byUnit: unitTable(report),
      csvLink: `/reports/csv?${search}`,
    };
  }

  /** The same figures as CSV, as `Accept: text/csv` answers on the API. */
  @Get('csv')
  @Roles('supervisor', 'cps', 'analyst')
  async csv(@CurrentPrincipal() principal: Principal, @Query() query: ReportsQuery, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { report } = await this.reader.read(principal, { period: text(query.period), unit: text(query.unit) });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${reportCsvFileName(report)}"`);
    return new StreamableFile(Buffer.from(reportToCsv(report), 'utf8'));
  }
}
