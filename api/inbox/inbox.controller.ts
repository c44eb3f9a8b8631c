import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { UuidParam } from '../common/params';
import { InboxQuery } from './inbox.dto';
import { InboxService } from './inbox.service';

const PEOPLE_ROLES = ['officer', 'supervisor', 'cps'] as const;

/** Each person's inbox: reminders before a due time and escalations after it, with why they have it. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller()
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('tasks')
  @Roles(...PEOPLE_ROLES)
  tasks(@CurrentPrincipal() principal: Principal, @Query() query: InboxQuery) {
    return this.inbox.tasks(principal, query);
  }

  @Get('escalations')
  @Roles(...PEOPLE_ROLES)
  escalations(@CurrentPrincipal() principal: Principal, @Query() query: InboxQuery) {
    return this.inbox.escalations(principal, query);
  }

  /** Marks a reminder done in the inbox (the deadline itself closes when the case work is recorded). */
  @Post('tasks/:id/complete')
  @HttpCode(200)
  @Roles(...PEOPLE_ROLES)
  complete(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.inbox.complete(principal, id);
  }

  /** Acknowledges an escalation: the case workflow stops the climb up the supervision chain for this breach. */
  @Post('escalations/:id/acknowledge')
  @HttpCode(200)
  @Roles(...PEOPLE_ROLES)
  acknowledge(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.inbox.acknowledge(principal, id);
  }
}
