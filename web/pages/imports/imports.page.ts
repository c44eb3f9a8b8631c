import { createReadStream } from 'node:fs';
import { Body, Controller, Get, HttpCode, Post, Query, Render, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Page, type Principal, Roles } from '../../../api/auth/principal';
import { ApiError } from '../../../api/common/api-error';
import { UuidParam } from '../../../api/common/params';
import { ImportsService } from '../../../api/imports/imports.service';
import { TemplateQuery } from '../../../api/imports/imports.dto';
import type { Body as FormBody } from '../../common/forms';
import { FormRejected } from '../../common/page-error.filter';

/**
 * Bringing a force's existing cases in, for its administrators and DCIs: choose a file, check it (the API's dry run:
 * nothing is written) or import it (the API's durable job), then follow the job. The same service as /api/imports.
 */
@ApiExcludeController()
@Page()
@Controller('imports')
export class ImportsPages {
  constructor(private readonly imports: ImportsService) {}

  @Get()
  @Roles('admin', 'supervisor')
  @Render('pages/imports.njk')
  async list(@CurrentPrincipal() principal: Principal) {
    return { pageTitle: 'Import cases', imports: await this.imports.list(principal) };
  }

  @Get('template')
  @Roles('admin', 'supervisor')
  async template(@CurrentPrincipal() principal: Principal, @Query() query: TemplateQuery, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.imports.template(principal, query.format);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Content-Type', file.contentType);
    return new StreamableFile(file.body);
  }

  /** The chosen file, checked (answers the report, writes nothing) or imported (on to the job's page). */
  @Post()
  @HttpCode(200)
  @Roles('admin', 'supervisor')
  async submit(@CurrentPrincipal() principal: Principal, @Body() form: FormBody, @Req() req: Request, @Res() res: Response) {
    const model = async () => ({ pageTitle: 'Import cases', imports: await this.imports.list(principal) });
    if (!req.file) throw new FormRejected('pages/imports.njk', await model(), 400, 'Choose a file to import.', [{ field: 'file', problem: 'choose a file' }]);
    const format = /\.csv$/i.test(req.file.originalname) ? 'csv' : 'jsonl';
    const file = createReadStream(req.file.path);
    try {
      if (form.action === 'check') {
        const report = await this.imports.dryRun(principal, file, undefined, format);
        return res.render('pages/import.njk', { pageTitle: 'Import check', check: true, fileName: req.file.originalname, report });
      }
      const started = await this.imports.start(principal, file, undefined, format);
      req.session.notice = `The import has started: ${started.lines} case${started.lines === 1 ? '' : 's'} to bring in.`;
      return res.redirect(303, `/imports/${started.id}`);
    } catch (err) {
      if (err instanceof ApiError && [400, 422].includes(err.getStatus())) {
        const body = err.getResponse() as { message: string; details?: { field: string; problem: string }[] };
        throw new FormRejected('pages/imports.njk', await model(), err.getStatus(), body.message, body.details);
      }
      throw err;
    }
  }

  @Get(':id')
  @Roles('admin', 'supervisor')
  @Render('pages/import.njk')
  async show(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    const job = await this.imports.get(principal, id);
    return { pageTitle: 'Import', job, report: job };
  }
}

