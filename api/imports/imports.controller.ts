import { Controller, Get, Header, HttpCode, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { UuidParam } from '../common/params';
import { ImportQuery, TemplateQuery } from './imports.dto';
import { ImportsService } from './imports.service';

/** A force's existing cases brought in with their history: a dry run first, then a durable import job. */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: 'Import cases (JSON lines or long-form CSV, streamed): ?dryRun=true answers what would happen and writes nothing; otherwise 202 and a job to follow' })
  @ApiConsumes('application/x-ndjson', 'text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async create(@CurrentPrincipal() principal: Principal, @Query() query: ImportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (query.dryRun) {
      res.status(200);
      return this.imports.dryRun(principal, req, req.headers['content-type'], query.format);
    }
    res.status(202);
    const started = await this.imports.start(principal, req, req.headers['content-type'], query.format);
    res.setHeader('Location', `/api/imports/${started.id}`);
    return started;
  }

  @Get('template')
  @Roles('admin', 'supervisor')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A template file of synthetic cases in the import format (JSON lines or CSV)' })
  async template(@CurrentPrincipal() principal: Principal, @Query() query: TemplateQuery, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.imports.template(principal, query.format);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Content-Type', file.contentType);
    return new StreamableFile(file.body);
  }

  @Get()
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: 'The caller\'s imports (an administrator: all), newest first' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.imports.list(principal);
  }

  @Get(':id')
  @Roles('admin', 'supervisor')
  @HttpCode(200)
  @ApiOperation({ summary: 'An import\'s progress, counts, each refused line with its reason, and who was sent a catch-up summary' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.imports.get(principal, id);
  }
}
