import { Controller, Get, HttpCode, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Page, type Principal, Roles } from '../../../api/auth/principal';
import { UuidParam } from '../../../api/common/params';
import { InboxService } from '../../../api/inbox/inbox.service';
import { WorkService } from '../../../api/work/work.service';

/** The home page for everyone: what is overdue or due soon, most urgent first, and the cases waiting for them. */
@ApiExcludeController()
@Page()
@Controller()
export class MyWorkPage {
  constructor(private readonly work: WorkService, private readonly inbox: InboxService) {}

  @Get()
  @Roles('officer', 'supervisor', 'cps')
  @Render('pages/my-work.njk')
  async show(@CurrentPrincipal() principal: Principal) {
    const { items, waiting } = await this.work.myWork(principal);
    return { pageTitle: 'My work', items, waiting, now: Date.now() };
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
