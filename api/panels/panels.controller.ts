import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { NoteDto } from '../common/dto';
import { UuidParam } from '../common/params';
import { CreatePanelDto, LearningActionDto, PanelReviewDto, ReferralOutcomeDto } from './panels.dto';
import { PanelsService } from './panels.service';

/** NFA scrutiny panels: the sample under pseudonymous labels, anonymised packs, reviews, learning actions, the report. */
@ApiTags('panels')
@ApiBearerAuth()
@Controller('panels')
export class PanelsController {
  constructor(private readonly panels: PanelsService) {}

  @Post()
  @Roles('supervisor', 'cps')
  @ApiOperation({ summary: 'Convene an ad-hoc panel: its stratified sample is drawn at once from a recorded seed' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePanelDto) {
    return this.panels.create(principal, dto);
  }

  @Get()
  @Roles('supervisor', 'cps', 'panel')
  @ApiOperation({ summary: 'The panels the caller sits on or convenes' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.panels.list(principal);
  }

  @Get(':id')
  @Roles('supervisor', 'cps', 'panel')
  @ApiOperation({ summary: 'A panel: scope, period, seed, strata with population and drawn counts' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.panels.get(principal, id);
  }

  @Get(':id/cases')
  @Roles('supervisor', 'cps', 'panel')
  @ApiOperation({ summary: 'The sampled cases, by pseudonymous label only' })
  cases(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.panels.cases(principal, id);
  }

  @Get(':id/cases/:label')
  @Roles('supervisor', 'cps', 'panel')
  @ApiOperation({ summary: 'A sampled case\'s anonymised pack, built now (audited); refused if its redaction cannot be confirmed' })
  pack(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Param('label') label: string) {
    return this.panels.pack(principal, id, label);
  }

  @Post(':id/cases/:label/review')
  @Roles('panel', 'supervisor', 'cps')
  @ApiOperation({ summary: 'A member\'s review of a sampled case: scores 1–4 per criterion, themes, comments, an optional referral' })
  review(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Param('label') label: string, @Body() dto: PanelReviewDto) {
    return this.panels.review(principal, id, label, dto);
  }

  @Post(':id/learning-actions')
  @Roles('panel', 'supervisor', 'cps')
  @ApiOperation({ summary: 'A learning action with an owner and due date, on the one clock mechanism' })
  addLearningAction(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: LearningActionDto) {
    return this.panels.addLearningAction(principal, id, dto);
  }

  @Post(':id/learning-actions/:actionId/close')
  @HttpCode(200)
  @Roles('officer', 'supervisor', 'cps', 'panel')
  @ApiOperation({ summary: 'Close a learning action with a note (its owner or a convenor)' })
  closeLearningAction(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @UuidParam('actionId') actionId: string, @Body() dto: NoteDto) {
    return this.panels.closeLearningAction(principal, id, actionId, dto.note);
  }

  @Post(':id/referrals/:referralId/outcome')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'The DCI records what was done about a referral the panel recommended' })
  referralOutcome(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @UuidParam('referralId') referralId: string, @Body() dto: ReferralOutcomeDto) {
    return this.panels.recordReferralOutcome(principal, id, referralId, dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('supervisor', 'cps')
  @ApiOperation({ summary: 'Close the panel: its report is emailed to the members and the DCIs' })
  close(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.panels.close(principal, id);
  }

  @Get(':id/report')
  @Roles('supervisor', 'cps')
  @ApiOperation({ summary: 'The panel\'s report: score distributions, themes, referrals and learning actions' })
  report(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.panels.report(principal, id);
  }
}
