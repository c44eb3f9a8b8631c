import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { refreshReportStates } from '../activities/reports/report-states';
import type { GeneratedCase } from '../scripts/generate-cases';

/**
 * The benchmark's loader, and only the benchmark's: it writes generated cases (scripts/generate-cases.ts, the import's
 * JSON-lines format) straight into the projection's tables with batched multi-row inserts (unnest of arrays), in the
 * shapes the worker writes them: the case row, its parties, its timeline (each import event as the timeline event the
 * pipeline records for it, with the same data fields the reports read), its items, the action plans' documents (the
 * agreed due dates), and the clocks still running for an open case (routine victim update, open actions, bail). It does
 * not run the pipeline's rules or start workflows: the real import does that at some ten cases a second, far too slow
 * for 100,000 cases. What it leaves out: inbox tasks (no escalations), clinic and panel data, live workflow state.
 */

/** Who a directory email is: id, role as the timeline records it, and whether they rank DS or above. */
export interface BenchPerson { id: string; role: 'officer' | 'supervisor' | 'cps'; supervisor: boolean }

export interface LoadContext {
  forceId: string;
  policyVersion: string;
  people: Map<string, BenchPerson>;
  timezone: string;
}

type Row = unknown[];

const TABLES = {
  cases: {
    columns: ['id', 'urn', 'stage', 'unit', 'force_id', 'officer_id', 'offence_type', 'penetrative', 'committed_from', 'committed_to', 'reported_at', 'enhanced_rights', 'suspect_count', 'policy_version', 'workflow_id', 'waiting_for', 'referred_to_cps', 'outcome_code', 'next_due_at', 'last_event_seq'],
    types: ['uuid', 'text', 'text', 'text', 'text', 'uuid', 'text', 'boolean', 'date', 'date', 'timestamptz', 'boolean', 'int', 'text', 'text', 'text', 'boolean', 'int', 'timestamptz', 'int'],
  },
  case_parties: {
    columns: ['id', 'case_id', 'kind', 'name', 'date_of_birth', 'national_id', 'vulnerable', 'contact_preference', 'address', 'phone', 'email'],
    types: ['uuid', 'uuid', 'text', 'text', 'date', 'text', 'boolean', 'text', 'text', 'text', 'text'],
  },
  case_events: {
    columns: ['id', 'case_id', 'seq', 'type', 'actor_id', 'actor_role', 'from_stage', 'to_stage', 'reason', 'document_id', 'data', 'occurred_at'],
    types: ['text', 'uuid', 'int', 'text', 'uuid', 'text', 'text', 'text', 'text', 'uuid', 'jsonb', 'timestamptz'],
  },
  case_items: {
    columns: ['id', 'case_id', 'kind', 'parent_id', 'status', 'owner', 'due_at', 'decision_critical', 'data', 'updated_seq'],
    types: ['uuid', 'uuid', 'text', 'uuid', 'text', 'text', 'timestamptz', 'boolean', 'jsonb', 'int'],
  },
  case_documents: {
    columns: ['id', 'case_id', 'force_id', 'kind', 'body', 'author_id', 'created_at'],
    types: ['uuid', 'uuid', 'text', 'text', 'jsonb', 'uuid', 'timestamptz'],
  },
  case_clocks: {
    columns: ['key', 'case_id', 'name', 'subject_id', 'started_at', 'due_at', 'explanation', 'steps_fired', 'status', 'updated_seq'],
    types: ['text', 'uuid', 'text', 'uuid', 'timestamptz', 'timestamptz', 'text', 'int', 'text', 'int'],
  },
} as const;
type Table = keyof typeof TABLES;

/** A stable uuid from parts (so a run with the same seed loads the same ids). */
function uuidOf(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const DECIDED = new Set(['charged', 'nfa-confirmed', 'admin-finalised', 'closed', 'vrr-review']);

interface ActionState { id: string; planId: string; owner: string; dueAt: string; decisionCritical: boolean; status: 'open' | 'done'; completedAt?: string }

/** Rows for the tables, collected case by case and written in batches. */
export class BenchLoader {
  private readonly rows: Record<Table, Row[]> = { cases: [], case_parties: [], case_events: [], case_items: [], case_documents: [], case_clocks: [] };
  readonly counts: Record<Table, number> = { cases: 0, case_parties: 0, case_events: 0, case_items: 0, case_documents: 0, case_clocks: 0 };

  constructor(private readonly db: DataSource, private readonly ctx: LoadContext) {}

  get pending(): number {
    return this.rows.cases.length;
  }

  /** `station`: a letter that replaces the first of the URN's station code, so units generated alike keep distinct URNs. */
  add(generated: GeneratedCase, station: string): void {
    const c = JSON.parse(generated.line) as {
      urn: string; unit: string; officerId: string; reportedAt: string; offence: { type: string; penetrative: boolean; committedFrom: string; committedTo?: string };
      victim: { name: string; dateOfBirth: string; vulnerable: boolean; contactPreference: string; address?: string; phone?: string; email?: string };
      suspects: { name: string; dateOfBirth: string; nationalId?: string; address?: string; phone?: string; email?: string }[];
      events: (Record<string, unknown> & { type: string; at: string; by: string; ref?: string })[];
    };
    const { people, forceId, timezone } = this.ctx;
    c.urn = `${c.urn.slice(0, 2)}${station}${c.urn.slice(3)}`;
    const caseId = uuidOf('case', c.urn);
    const workflowId = `case-${caseId}`;
    const person = (email: unknown) => people.get(String(email)) ?? { id: uuidOf('person', String(email)), role: 'officer' as const, supervisor: false };
    const officer = person(c.officerId);
    this.rows.case_parties.push([uuidOf(caseId, 'victim'), caseId, 'victim', c.victim.name, c.victim.dateOfBirth, null, c.victim.vulnerable, c.victim.contactPreference, c.victim.address ?? null, c.victim.phone ?? null, c.victim.email ?? null]);
    const suspectIds = c.suspects.map((s, i) => {
      const id = uuidOf(caseId, 'suspect', String(i));
      this.rows.case_parties.push([id, caseId, 'suspect', s.name, s.dateOfBirth, s.nationalId ?? null, null, null, s.address ?? null, s.phone ?? null, s.email ?? null]);
      return id;
    });

    let seq = 1;
    let stage = 'investigating';
    let beforeWithdrawal = 'investigating';
    let referred = false;
    let outcome: number | null = null;
    let lastContact = c.reportedAt;
    const refs = new Map<string, string>();
    const latest = new Map<string, string>();
    const created = (kind: string, ref: unknown) => {
      const id = uuidOf(caseId, kind, String(ref ?? seq));
      if (ref !== undefined) refs.set(`${kind}:${String(ref)}`, id);
      latest.set(kind, id);
      return id;
    };
    const ref = (kind: string, r: unknown) => (r === undefined ? latest.get(kind) : refs.get(`${kind}:${String(r)}`)) ?? uuidOf(caseId, kind, 'unknown');
    const requests = new Map<string, { status: string; prosecutorId?: string; appealed: boolean }>();
    const submissions = new Map<string, { test: string; category: string; status: string; decision?: string }>();
    const plans = new Map<string, { status: string; source: string; documentId: string }>();
    const actions = new Map<string, ActionState>();
    const reviews = new Map<string, { scheme: string; status: string; outcome?: string }>();
    const custody = new Map<string, { status: 'bail' | 'rui' | 'released'; startedAt: string; expiresAt?: string; extensions: number }>();

    this.rows.case_events.push([`${workflowId}:1`, caseId, 1, 'case-registered', officer.id, officer.role, null, 'investigating', null, null,
      JSON.stringify({ unit: c.unit, offenceType: c.offence.type, suspects: c.suspects.length, policyVersion: this.ctx.policyVersion }), c.reportedAt]);

    const plusMonths = (iso: string, months: number) => DateTime.fromISO(iso, { zone: timezone }).plus({ months }).toUTC().toISO()!;
    const openPlan = (e: Record<string, unknown>, planRef: unknown, source: string, at: string, actor: BenchPerson) => {
      const planId = created('plan', planRef);
      const documentId = uuidOf(caseId, 'document', String(seq + 1));
      const list = ((e.actionPlan as { actions: Record<string, unknown>[] }).actions).map((a, i) => {
        const id = a.ref !== undefined ? created('action', a.ref) : uuidOf(caseId, 'action', planId, String(i));
        latest.set('action', id);
        const action: ActionState = { id, planId, owner: String(a.owner), dueAt: new Date(String(a.dueAt)).toISOString(), decisionCritical: !!a.decisionCritical, status: 'open' };
        actions.set(id, action);
        return action;
      });
      plans.set(planId, { status: 'open', source, documentId });
      this.rows.case_documents.push([documentId, caseId, forceId, source === 'early-advice' ? 'early-advice' : 'charging-decision',
        JSON.stringify({ actionPlan: { planId, actions: list.map((a) => ({ actionId: a.id, owner: a.owner, dueAt: a.dueAt, decisionCritical: a.decisionCritical })) } }), actor.id, at]);
      return { planId, documentId, count: list.length };
    };

    for (const e of c.events) {
      const actor = person(e.by);
      const at = new Date(e.at).toISOString();
      const from = stage;
      let type: string;
      let data: Record<string, unknown> = {};
      let reason: string | null = null;
      let documentId: string | null = null;
      switch (e.type) {
        case 'victim.contacted':
          type = 'victim-contact-recorded'; reason = String(e.kind); data = { kind: e.kind }; lastContact = at;
          break;
        case 'early-advice.requested': {
          const requestId = created('request', e.ref);
          requests.set(requestId, { status: actor.supervisor ? 'awaiting-triage' : 'awaiting-endorsement', appealed: false });
          if (actor.supervisor) { type = 'early-advice-endorsed'; data = { requestId, endorsedBy: actor.id }; stage = 'ea-triage'; referred = true; } else { type = 'early-advice-requested'; data = { requestId }; stage = 'ea-requested'; }
          break;
        }
        case 'early-advice.endorsed': {
          const requestId = ref('request', e.request);
          requests.get(requestId)!.status = 'awaiting-triage';
          type = 'early-advice-endorsed'; data = { requestId, endorsedBy: actor.id }; stage = 'ea-triage'; referred = true;
          break;
        }
        case 'early-advice.not-sought':
          type = 'early-advice-not-sought';
          break;
        case 'early-advice.triaged': {
          const requestId = ref('request', e.request);
          const request = requests.get(requestId)!;
          if (e.decision === 'accept') {
            const prosecutorId = person(e.prosecutorId).id;
            Object.assign(request, { status: 'accepted', prosecutorId });
            type = 'early-advice-accepted'; data = { requestId, prosecutorId, appeal: request.appealed }; stage = 'ea-in-progress';
          } else {
            request.status = 'rejected';
            type = 'early-advice-rejected'; reason = (e.reasons as string[]).join(', '); data = { requestId, reasons: e.reasons, respondBy: e.respondBy ?? null }; stage = 'investigating';
          }
          break;
        }
        case 'early-advice.appealed': {
          const requestId = ref('request', e.request);
          Object.assign(requests.get(requestId)!, { status: 'awaiting-triage', appealed: true });
          type = 'early-advice-rejection-appealed'; data = { requestId }; stage = 'ea-triage';
          break;
        }
        case 'early-advice.given': {
          const requestId = ref('request', e.request);
          requests.get(requestId)!.status = 'advised';
          type = 'early-advice-recorded';
          if (e.actionPlan) {
            const plan = openPlan(e, e.ref, 'early-advice', at, actor);
            documentId = plan.documentId; data = { requestId, actionPlanId: plan.planId, actions: plan.count }; stage = 'action-plan-open';
          } else {
            data = { requestId, actions: 0 }; stage = 'investigating';
          }
          break;
        }
        case 'action.completed': {
          const action = actions.get(ref('action', e.action))!;
          Object.assign(action, { status: 'done', completedAt: at });
          const planComplete = [...actions.values()].filter((a) => a.planId === action.planId).every((a) => a.status === 'done');
          if (planComplete) plans.get(action.planId)!.status = 'awaiting-review';
          type = 'action-completed'; data = { actionId: action.id, planId: action.planId, planComplete };
          break;
        }
        case 'action.re-dated': {
          const action = actions.get(ref('action', e.action))!;
          const to = new Date(String(e.dueAt)).toISOString();
          type = 'due-date-changed'; data = { clockKey: `actionPlan.item:${action.id}`, clock: 'actionPlan.item', from: action.dueAt, to, approvedBy: person(e.approverId).id };
          action.dueAt = to;
          break;
        }
        case 'action-plan.reviewed': {
          const planId = ref('plan', e.plan);
          type = 'action-plan-reviewed'; data = { planId, outcome: e.outcome };
          if (e.outcome === 'ready-to-submit') { plans.get(planId)!.status = 'reviewed'; stage = 'file-build'; }
          break;
        }
        case 'file.submitted': {
          const submissionId = created('submission', e.ref);
          submissions.set(submissionId, { test: String(e.test), category: String(e.category), status: 'awaiting-gatekeeper' });
          type = 'file-submitted'; data = { submissionId, test: e.test, category: e.category }; stage = 'file-build';
          break;
        }
        case 'file.approved': {
          const submissionId = ref('submission', e.submission);
          const s = submissions.get(submissionId)!;
          s.status = 'awaiting-triage';
          type = 'submission-approved'; data = { submissionId, category: s.category }; stage = 'charging-submitted'; referred = true;
          break;
        }
        case 'file.returned': {
          const submissionId = ref('submission', e.submission);
          submissions.get(submissionId)!.status = 'returned';
          type = 'submission-returned'; reason = (e.reasons as string[]).join(', '); data = { submissionId, by: 'police', reasons: e.reasons };
          break;
        }
        case 'file.triaged': {
          const submissionId = ref('submission', e.submission);
          const s = submissions.get(submissionId)!;
          if (e.decision === 'accept') { s.status = 'in-review'; type = 'submission-accepted'; data = { submissionId, prosecutorId: person(e.prosecutorId).id }; stage = 'cps-review'; } else {
            s.status = 'returned'; type = 'submission-returned'; reason = (e.reasons as string[]).join(', '); data = { submissionId, by: 'cps', reasons: e.reasons }; stage = 'file-build';
          }
          break;
        }
        case 'decision.made': {
          const submissionId = ref('submission', e.submission);
          const s = submissions.get(submissionId)!;
          s.status = 'decided'; s.decision = String(e.decision);
          if (e.decision === 'charge') { type = 'charge-authorised'; data = { submissionId, test: s.test, outcomeCode: 1 }; stage = 'charged'; outcome = 1; } else if (e.decision === 'nfa') {
            outcome = Number(e.outcomeCode); type = 'cps-nfa'; reason = outcome === 9 ? 'public-interest' : 'evidential'; data = { submissionId, outcomeCode: outcome, preNfaMeetingAt: e.preNfaMeetingAt ?? null }; stage = 'nfa-confirmed';
          } else if (e.decision === 'action-plan') {
            const plan = openPlan(e, e.ref, 'charging-decision', at, actor);
            documentId = plan.documentId; type = 'further-action-plan'; data = { submissionId, actionPlanId: plan.planId, actions: plan.count, dcpReviewerId: e.dcpReviewerId ? person(e.dcpReviewerId).id : null }; stage = 'action-plan-open';
          } else { s.status = 'returned'; type = 'submission-returned'; reason = (e.reasons as string[]).join(', '); data = { submissionId, by: 'cps', reasons: e.reasons }; stage = 'file-build'; }
          break;
        }
        case 'police-nfa.recorded':
          outcome = Number(e.outcomeCode); type = 'police-nfa'; data = { outcomeCode: outcome }; stage = 'nfa-confirmed';
          break;
        case 'victim.withdrew':
          beforeWithdrawal = stage; type = 'victim-withdrawal-recorded'; data = { from: stage }; stage = 'victim-disengaging';
          break;
        case 'victim.withdrawal-reviewed':
          if (e.decision === 'nfa') { outcome = 16; type = 'police-nfa'; reason = 'victim withdrew support (outcome 16)'; data = { outcomeCode: 16 }; stage = 'nfa-confirmed'; } else {
            type = 'victim-withdrawal-reviewed'; reason = String(e.decision); data = { decision: e.decision, to: beforeWithdrawal }; stage = beforeWithdrawal;
          }
          break;
        case 'case.admin-finalised':
          type = 'admin-finalised'; stage = 'admin-finalised';
          break;
        case 'case.closed':
          type = 'case-closed'; data = { outcomeCode: outcome }; stage = 'closed';
          break;
        case 'case.reopened':
          type = 'case-reopened'; reason = String(e.ground); data = { ground: e.ground }; stage = 'investigating'; outcome = null;
          break;
        case 'review.requested': {
          const reviewId = created('review', e.ref);
          reviews.set(reviewId, { scheme: String(e.scheme), status: 'requested' });
          type = 'victim-review-requested'; reason = String(e.scheme); data = { reviewId, scheme: e.scheme, late: false }; stage = 'vrr-review';
          break;
        }
        case 'review.acknowledged': {
          const reviewId = ref('review', e.review);
          reviews.get(reviewId)!.status = 'acknowledged';
          type = 'victim-review-acknowledged'; data = { reviewId };
          break;
        }
        case 'review.decided': {
          const reviewId = ref('review', e.review);
          Object.assign(reviews.get(reviewId)!, { status: 'decided', outcome: e.outcome });
          type = 'victim-review-decided'; reason = String(e.outcome); data = { reviewId, outcome: e.outcome };
          if (e.outcome === 'overturned') { stage = 'investigating'; outcome = null; } else stage = 'closed';
          break;
        }
        case 'bail.started': {
          const suspectId = suspectIds[Number(e.suspect ?? 1) - 1];
          const startedAt = new Date(String(e.startedAt)).toISOString();
          const expiresAt = plusMonths(startedAt, 3);
          custody.set(suspectId, { status: 'bail', startedAt, expiresAt, extensions: 0 });
          type = 'bail-recorded'; data = { suspectId, startedAt, expiresAt };
          break;
        }
        case 'bail.extended': {
          const suspectId = suspectIds[Number(e.suspect ?? 1) - 1];
          const bail = custody.get(suspectId)!;
          bail.extensions += 1;
          bail.expiresAt = e.courtOrderedUntil ? new Date(String(e.courtOrderedUntil)).toISOString() : plusMonths(bail.startedAt, 3 * (bail.extensions + 1));
          type = 'bail-extended'; data = { suspectId, extensions: bail.extensions, expiresAt: bail.expiresAt, authorisedBy: person(e.authorisedBy).id };
          break;
        }
        case 'rui.recorded': {
          const suspectId = suspectIds[Number(e.suspect ?? 1) - 1];
          custody.set(suspectId, { status: 'rui', startedAt: at, extensions: 0 });
          type = 'released-under-investigation'; data = { suspectId };
          break;
        }
        case 'bail.court-application': {
          const suspectId = suspectIds[Number(e.suspect ?? 1) - 1];
          type = 'court-bail-extension-applied'; data = { suspectId, extendTo: e.extendTo, late: false };
          break;
        }
        case 'bail.court-decision': {
          const suspectId = suspectIds[Number(e.suspect ?? 1) - 1];
          const bail = custody.get(suspectId)!;
          if (e.decision === 'granted') {
            bail.extensions += 1; bail.expiresAt = new Date(String(e.until)).toISOString();
            type = 'bail-extended'; data = { suspectId, extensions: bail.extensions, expiresAt: bail.expiresAt, authorisedBy: 'court' };
          } else { type = 'court-bail-extension-refused'; data = { suspectId }; }
          break;
        }
        default:
          throw new Error(`bench loader: no mapping for import event ${e.type}`);
      }
      seq += 1;
      this.rows.case_events.push([`${workflowId}:${seq}`, caseId, seq, type, actor.id, actor.role, from, stage, reason, documentId, JSON.stringify(data), at]);
    }

    // What is still running for a case not decided: the routine victim update, each open action, each suspect's bail.
    const clocks: [string, string, string, string][] = [];
    const finalStage = generated.stage;
    if (!DECIDED.has(finalStage)) {
      clocks.push(['victim.routineUpdate', caseId, lastContact, new Date(Date.parse(lastContact) + 28 * 86_400_000).toISOString()]);
      for (const a of actions.values()) if (a.status === 'open' && plans.get(a.planId)?.status === 'open') clocks.push(['actionPlan.item', a.id, a.dueAt, a.dueAt]);
      for (const [suspectId, s] of custody) if (s.status === 'bail' && s.expiresAt) clocks.push(['bail.expiry', suspectId, s.startedAt, s.expiresAt]);
    }
    for (const [name, subject, started, due] of clocks) {
      this.rows.case_clocks.push([`${name}:${subject}`, caseId, name, subject, started, due, `bench: ${name}`, 0, 'running', seq]);
    }
    const nextDue = clocks.length ? new Date(Math.min(...clocks.map((k) => Date.parse(k[3])))).toISOString() : null;

    for (const [id, r] of requests) this.rows.case_items.push([id, caseId, 'early-advice', null, r.status, 'cps', null, null, JSON.stringify({ prosecutorId: r.prosecutorId, appealed: r.appealed }), seq]);
    for (const [id, p] of plans) this.rows.case_items.push([id, caseId, 'action-plan', null, p.status, null, null, null, JSON.stringify({ source: p.source, documentId: p.documentId }), seq]);
    for (const a of actions.values()) this.rows.case_items.push([a.id, caseId, 'action', a.planId, a.status, a.owner, a.dueAt, a.decisionCritical, JSON.stringify({ completedAt: a.completedAt }), seq]);
    for (const [id, s] of submissions) this.rows.case_items.push([id, caseId, 'submission', null, s.status, null, null, null, JSON.stringify({ test: s.test, category: s.category, decision: s.decision }), seq]);
    for (const [id, r] of reviews) this.rows.case_items.push([id, caseId, 'review', null, r.status, r.scheme, null, null, JSON.stringify({ scheme: r.scheme, outcome: r.outcome }), seq]);

    this.rows.cases.push([caseId, c.urn, finalStage, c.unit, forceId, officer.id, c.offence.type, c.offence.penetrative, c.offence.committedFrom, c.offence.committedTo ?? null, c.reportedAt,
      c.victim.vulnerable, c.suspects.length, this.ctx.policyVersion, workflowId, '', referred, generated.outcome?.code ?? outcome, nextDue, seq]);
  }

  /**
   * Writes what has been collected: one INSERT … SELECT FROM unnest(…) per table; then, as the case projection does
   * when it writes a case, each case's spans of state for the reports (report_state_spans).
   */
  async flush(): Promise<void> {
    await this.db.transaction(async (tx) => {
      const caseIds = this.rows.cases.map((r) => r[0] as string);
      for (const table of Object.keys(TABLES) as Table[]) {
        const rows = this.rows[table];
        if (!rows.length) continue;
        const { columns, types } = TABLES[table];
        const arrays = columns.map((_, i) => rows.map((r) => r[i]));
        await tx.query(
          `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
          arrays,
        );
        this.counts[table] += rows.length;
        this.rows[table] = [];
      }
      await refreshReportStates(tx, caseIds);
    });
  }
}
