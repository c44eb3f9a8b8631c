import { Controller, Get, HttpCode, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Page, type Principal, Roles } from '../../../api/auth/principal';
import { UuidParam } from '../../../api/common/params';
import { InboxService } from '../../../api/inbox/inbox.service';
import { WorkService } from '../../../api/work/work.service';
import { pagination } from '../../common/pagination';

/** The home page for everyone: what is overdue or due soon, most urgent first, and the cases waiting for them. */
@ApiExcludeController()
@Page()
@Controller()
export class MyWorkPage {
  constructor(private readonly work: WorkService, private readonly inbox: InboxService) {}

  @Get()
  @Roles('officer', 'supervisor', 'cps')
  @Render('pages/my-work.njk')
  async show(@CurrentPrincipal() principal: Principal, @Query('page') pageParam?: string) {
    // A page is reached from links (an email's may carry more in its query): only `page` is read, leniently.
    const page = /^\d{1,5}$/.test(pageParam ?? '') && Number(pageParam) >= 1 ? Number(pageParam) : 1;
    const work = await this.work.myWork(principal, { page });
    return { pageTitle: 'My work', ...work, now: Date.now(), pagination: pagination(work.page, work.pageSize, work.itemsTotal, (n) => `/?page=${n}`) };
  }

  /** One click from My work: a reminder marked done (the deadline itself closes when the case work is recorded). */
  @Post('tasks/:id/complete')
  @HttpCode(303)
  @Redirect()
  @Roles('officer', 'supervisor', 'cps')
  async complete(@CurrentPrincipal() principal: Principal, @UuidParam() taskId: string, @Req() req: Request) {
    await this.inbox.complete(principal, taskId);
    req.session.notice = 'Reminder marked as done.';
    return { url: '/', statusCode: 303 };
  }

  /** Acknowledging an escalation stops its climb up the supervision chain. */
  @Post('tasks/:id/acknowledge')
  @HttpCode(303)
  @Redirect()
  @Roles('officer', 'supervisor', 'cps')
  async acknowledge(@CurrentPrincipal() principal: Principal, @UuidParam() taskId: string, @Req() req: Request) {
    await this.inbox.acknowledge(principal, taskId);
    req.session.notice = 'Escalation acknowledged: it will not climb further.';
    return { url: '/', statusCode: 303 };
  }
}
