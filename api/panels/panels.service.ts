import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { buildPack, type AnonymisedPack } from '../../activities/panels/pack';
import { panelReport, type PanelReport } from '../../activities/panels/report';
import { LearningAction, Panel, PanelCase, PanelReferral, PanelReview, Person, Unit } from '../../db/entities';
import type { RegionPolicies } from '../../policy/load-policy';
import { TASK_QUEUE } from '../../workflows/contracts';
import {
  learningActionClosedSignal, learningActionSetSignal, packWithheldSignal, panelClosedSignal, panelSampleUpdate, panelWorkflowId, referralAnsweredSignal, referralRecommendedSignal,
} from '../../workflows/contracts/panels';
import type { PanelRules } from '../../workflows/contracts/policy';
import type { panelWorkflow } from '../../workflows/panel.workflow';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE, POLICIES, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import type { CreatePanelDto, LearningActionDto, PanelReviewDto, ReferralOutcomeDto } from './panels.dto';

export type PanelView = Pick<Panel, 'id' | 'unit' | 'scheduleId' | 'seed' | 'status' | 'policyVersion' | 'rulesVersion' | 'strata'> & {
  force: string; period: { from: string; to: string }; sittingAt: string; members: string[]; population: number; drawn: number;
};

/** Who convenes a panel (and reads its report): police supervisors of its force, or CPS staff serving its unit. */
export function convenes(principal: Principal, panel: { forceId: string; unit: string | null }): boolean {
  if (hasRole(principal, 'supervisor') && principal.forceId === panel.forceId) return true;
  return hasRole(principal, 'cps') && panel.unit !== null && principal.servedUnits.includes(panel.unit);
}

/**
 * NFA scrutiny panels. Convened by police supervisors of the force (or CPS staff serving the unit); a `panel` member
 * reads only the panels they sit on, their labelled cases and packs, and reviews them. The sample, the clocks and the
 * emails are the panel workflow's; packs are built at the query and never stored.
 */
@Injectable()
export class PanelsService {
  private readonly logger = new Logger(PanelsService.name);

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(POLICIES) private readonly policies: RegionPolicies,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /**
   * The force (and unit) a panel or schedule covers, which the caller must convene: a unit names its force; another
   * force's unit, or one the caller's CPS area does not serve, answers like an unknown one.
   */
  async convenedScope(principal: Principal, scope: { force?: string; unit?: string }): Promise<{ forceId: string; unit: string | null }> {
    const unit = scope.unit ? await this.db.getRepository(Unit).findOneBy({ id: scope.unit }) : null;
    if (scope.unit && (!unit || unit.organisation !== 'police' || !unit.forceId)) throw ApiError.notFound('That unit');
    const forceId = unit?.forceId ?? scope.force ?? principal.forceId;
    if (!forceId) throw ApiError.unprocessable('Name the force whose cases the panel samples.', [{ field: 'scope.force', problem: 'is required' }]);
    if (unit && scope.force && scope.force !== forceId) throw ApiError.unprocessable('The unit must be a police unit of the force.', [{ field: 'scope.unit', problem: 'is not a unit of the force' }]);
    if (!convenes(principal, { forceId, unit: unit?.id ?? null })) {
      if (hasRole(principal, 'supervisor', 'cps')) throw ApiError.notFound(unit ? 'That unit' : 'That force');
      throw ApiError.forbidden('Panels are convened by supervisors of the force or CPS staff serving the unit.');
    }
    return { forceId, unit: unit?.id ?? null };
  }

  /** Every member an active person in the directory (422 otherwise). */
  async assertMembers(members: string[]): Promise<string[]> {
    const unique = [...new Set(members)];
    const found = await this.db.getRepository(Person).findBy(unique.map((id) => ({ id, active: true })));
    if (found.length !== unique.length) throw ApiError.unprocessable('Every member must be an active person in the directory.', [{ field: 'members', problem: 'names someone not in the directory' }]);
    return unique;
  }

  async create(principal: Principal, dto: CreatePanelDto): Promise<PanelView> {
    const { forceId, unit } = await this.convenedScope(principal, dto.scope);
    if (Date.parse(dto.period.to) <= Date.parse(dto.period.from)) throw ApiError.unprocessable('The period ends after it starts.', [{ field: 'period.to', problem: 'is not after period.from' }]);
    const members = await this.assertMembers(dto.members);
    const policy = this.policies.forForce(forceId);
    const id = randomUUID();
    const panel = this.db.getRepository(Panel).create({
      id, forceId, unit, scheduleId: null, occurrence: null, periodFrom: new Date(dto.period.from), periodTo: new Date(dto.period.to), sittingAt: new Date(dto.sittingAt),
      seed: dto.seed ?? randomBytes(12).toString('hex'), requestedSize: dto.sample ?? null, policyVersion: policy.version, rulesVersion: null, strata: null, status: 'convened',
      workflowId: panelWorkflowId(id), createdBy: principal.id, closedAt: null,
    });
    await this.db.transaction(async (tx) => {
      await tx.getRepository(Panel).insert(panel);
      for (const personId of members) await tx.query('INSERT INTO panel_members (panel_id, person_id) VALUES ($1, $2)', [id, personId]);
    });
    // Convened now: the panel's workflow draws the sample at once, and the answer carries it.
    const start = new WithStartWorkflowOperation<typeof panelWorkflow>('panelWorkflow', {
      workflowId: panel.workflowId, taskQueue: TASK_QUEUE, args: [{ panelId: id, policy }], workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await this.temporal.workflow.executeUpdateWithStart(panelSampleUpdate, { startWorkflowOperation: start, updateId: `sample-${id}` });
    return this.get(principal, id);
  }

  async list(principal: Principal): Promise<PanelView[]> {
    const rows = (await this.db.query(
      `SELECT id FROM panels p WHERE p.id IN (SELECT panel_id FROM panel_members WHERE person_id = $1)
          OR ($2::text IS NOT NULL AND p.force_id = $2) OR p.unit = ANY($3) ORDER BY sitting_at DESC LIMIT 200`,
      [principal.id, hasRole(principal, 'supervisor') ? principal.forceId : null, hasRole(principal, 'cps') ? [...principal.servedUnits] : []],
    )) as { id: string }[];
    return Promise.all(rows.map((r) => this.get(principal, r.id)));
  }

  async get(principal: Principal, id: string): Promise<PanelView> {
    const panel = await this.readable(principal, id);
    const members = (await this.db.query('SELECT person_id FROM panel_members WHERE panel_id = $1 ORDER BY person_id', [id])) as { person_id: string }[];
    const strata = panel.strata ?? [];
    return {
      id, force: panel.forceId, unit: panel.unit, scheduleId: panel.scheduleId, period: { from: panel.periodFrom.toISOString(), to: panel.periodTo.toISOString() }, sittingAt: panel.sittingAt.toISOString(),
      seed: panel.seed, status: panel.status, policyVersion: panel.policyVersion, rulesVersion: panel.rulesVersion, strata: panel.strata, members: members.map((m) => m.person_id),
      population: strata.reduce((n, s) => n + s.population, 0), drawn: strata.reduce((n, s) => n + s.drawn, 0),
    };
  }

  /** The sampled cases by label only, with how many reviews each has (and whether the caller has reviewed it). */
  async cases(principal: Principal, id: string): Promise<{ label: string; reviews: number; reviewedByMe: boolean }[]> {
    await this.readable(principal, id);
    return ((await this.db.query(
      `SELECT pc.label, count(r.id)::int AS reviews, bool_or(r.member_id = $2) AS mine FROM panel_cases pc LEFT JOIN panel_reviews r ON r.panel_id = pc.panel_id AND r.label = pc.label
        WHERE pc.panel_id = $1 GROUP BY pc.label ORDER BY pc.label`, [id, principal.id],
    )) as { label: string; reviews: number; mine: boolean | null }[]).map((r) => ({ label: r.label, reviews: r.reviews, reviewedByMe: !!r.mine }));
  }

  /** One anonymised pack, built now. A pack that fails its final check is refused, and the administrators alerted. */
  async pack(principal: Principal, id: string, label: string): Promise<AnonymisedPack> {
    const panel = await this.readable(principal, id);
    const sampled = await this.sampled(id, label);
    const result = await buildPack(this.db, sampled.caseId, label);
    if ('withheld' in result) {
      // The panel's workflow alerts the administrators; one that has ended (every clock stopped) is logged instead.
      await this.temporal.workflow.getHandle(panel.workflowId).signal(packWithheldSignal, { label, kinds: result.withheld })
        .catch((err: Error) => this.logger.warn(`panel ${id}: pack ${label} withheld (${result.withheld.join(', ')}); alert not delivered (${err.name})`));
      throw ApiError.conflict('This pack is withheld: its redaction could not be confirmed, and the administrator has been alerted.');
    }
    return result.pack;
  }

  async review(principal: Principal, id: string, label: string, dto: PanelReviewDto): Promise<{ id: string; label: string; referralRecommended: boolean }> {
    const panel = await this.readable(principal, id);
    if (!(await this.isMember(principal, id))) throw ApiError.forbidden('Reviews are written by the panel\'s members.');
    if (panel.status === 'closed') throw ApiError.conflict('The panel has closed.');
    await this.sampled(id, label);
    const themes = this.rulesOf(panel).themes.map((t) => t.code);
    const unknown = dto.themes.filter((t) => !themes.includes(t));
    if (unknown.length) throw ApiError.unprocessable('Themes come from the policy\'s list.', unknown.map((t) => ({ field: 'themes', problem: `${t} is not a theme` })));
    const review = { id: randomUUID(), panelId: id, label, memberId: principal.id, scores: { ...dto.scores }, themes: [...new Set(dto.themes)], comments: dto.comments, referralReason: dto.recommendReferral?.reason ?? null };
    try {
      await this.db.getRepository(PanelReview).insert(review);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw ApiError.conflict('You have already reviewed this case.');
      throw err;
    }
    if (dto.recommendReferral) await this.temporal.workflow.getHandle(panel.workflowId).signal(referralRecommendedSignal, { reviewId: review.id });
    return { id: review.id, label, referralRecommended: !!dto.recommendReferral };
  }

  async addLearningAction(principal: Principal, id: string, dto: LearningActionDto): Promise<LearningAction> {
    const panel = await this.readable(principal, id);
    if (panel.status === 'closed') throw ApiError.conflict('The panel has closed: its learning actions are set.');
    if (Date.parse(dto.dueAt) <= Date.now()) throw ApiError.unprocessable('A learning action is due in the future.', [{ field: 'dueAt', problem: 'is in the past' }]);
    const owner = await this.db.getRepository(Person).findOneBy({ id: dto.ownerId, active: true });
    if (!owner) throw ApiError.unprocessable('The owner must be an active person.', [{ field: 'ownerId', problem: 'is not in the directory' }]);
    const action = this.db.getRepository(LearningAction).create({
      id: randomUUID(), panelId: id, description: dto.description, ownerId: owner.id, dueAt: new Date(dto.dueAt), status: 'open', closingNote: null, closedBy: null, closedAt: null, createdBy: principal.id,
    });
    await this.db.getRepository(LearningAction).insert(action);
    await this.temporal.workflow.getHandle(panel.workflowId).signal(learningActionSetSignal, { actionId: action.id, dueAt: action.dueAt.toISOString() });
    return action;
  }

  /** Closed with a note, by its owner or a convenor: its clock stops. */
  async closeLearningAction(principal: Principal, id: string, actionId: string, note: string): Promise<LearningAction> {
    const action = await this.db.getRepository(LearningAction).findOneBy({ id: actionId, panelId: id });
    // Its owner need not sit on the panel or convene it: the owner may close it; anyone else must be able to read the panel.
    const panel = action?.ownerId === principal.id ? await this.db.getRepository(Panel).findOneByOrFail({ id }) : await this.readable(principal, id);
    if (!action) throw ApiError.notFound('That learning action');
    if (action.ownerId !== principal.id && !convenes(principal, panel)) throw ApiError.forbidden('A learning action is closed by its owner or a convenor.');
    if (action.status === 'closed') throw ApiError.conflict('The learning action is already closed.');
    Object.assign(action, { status: 'closed', closingNote: note, closedBy: principal.id, closedAt: new Date() });
    await this.db.getRepository(LearningAction).save(action);
    await this.temporal.workflow.getHandle(panel.workflowId).signal(learningActionClosedSignal, { actionId });
    return action;
  }

  /** Closes the panel (a convenor): its report goes to the members and the DCIs. */
  async close(principal: Principal, id: string): Promise<PanelView> {
    const panel = await this.readable(principal, id);
    if (!convenes(principal, panel)) throw ApiError.forbidden('A panel is closed by a convenor.');
    if (panel.status === 'closed') throw ApiError.conflict('The panel has already closed.');
    await this.db.getRepository(Panel).update({ id }, { status: 'closed', closedAt: new Date() });
    await this.temporal.workflow.getHandle(panel.workflowId).signal(panelClosedSignal);
    return this.get(principal, id);
  }

  async report(principal: Principal, id: string): Promise<PanelReport> {
    const panel = await this.readable(principal, id);
    if (!convenes(principal, panel)) throw ApiError.forbidden('The report is for the convenors; members receive it by email when the panel closes.');
    return panelReport(this.db, id, this.rulesOf(panel));
  }

  /** The DCI records what was done about a recommended referral: their task is done and its clock stops. */
  async recordReferralOutcome(principal: Principal, id: string, referralId: string, dto: ReferralOutcomeDto): Promise<PanelReferral> {
    const referral = await this.db.getRepository(PanelReferral).findOneBy({ id: referralId, panelId: id });
    // The DCI it was given to records it, or a supervisor of the panel's force (who convenes its panels).
    if (referral?.dciId !== principal.id) await this.readable(principal, id);
    if (!referral) throw ApiError.notFound('That referral');
    if (referral.outcome) throw ApiError.conflict('What was done is already recorded.');
    Object.assign(referral, { outcome: dto.outcome, outcomeNote: dto.note, outcomeBy: principal.id, outcomeAt: new Date() });
    await this.db.getRepository(PanelReferral).save(referral);
    await this.db.query(`UPDATE tasks SET status = 'done', closed_at = now() WHERE dedupe_key = $1 AND status = 'open'`, [`panel-referral:${referralId}`]);
    const panel = await this.db.getRepository(Panel).findOneByOrFail({ id });
    await this.temporal.workflow.getHandle(panel.workflowId).signal(referralAnsweredSignal, { reviewId: referral.reviewId });
    return referral;
  }

  private async isMember(principal: Principal, panelId: string): Promise<boolean> {
    const rows = (await this.db.query('SELECT 1 FROM panel_members WHERE panel_id = $1 AND person_id = $2', [panelId, principal.id])) as unknown[];
    return rows.length > 0;
  }

  /** A panel the caller sits on or convenes; any other is answered as if it did not exist (404). */
  private async readable(principal: Principal, id: string): Promise<Panel> {
    const panel = await this.db.getRepository(Panel).findOneBy({ id });
    if (!panel || (!convenes(principal, panel) && !(await this.isMember(principal, id)))) throw ApiError.notFound('That panel');
    return panel;
  }

  private async sampled(panelId: string, label: string): Promise<PanelCase> {
    const sampled = await this.db.getRepository(PanelCase).findOneBy({ panelId, label });
    if (!sampled) throw ApiError.notFound('That case');
    return sampled;
  }

  private rulesOf(panel: Panel): PanelRules {
    return this.policies.forForce(panel.forceId).panels!;
  }
}
