import { ApplicationFailure } from '@temporalio/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Panel, type PanelStratumDrawn, Person } from '../../db/entities';
import type { Logger } from '../../infra/logger';
import { type PanelSampleSummary, panelWorkflowId } from '../../workflows/contracts/panels';
import type { PanelRules } from '../../workflows/contracts/policy';
import { queueEmail } from '../mail/outbox';
import { strataPopulations } from './population';
import { panelReport, reportText } from './report';
import { drawSample, labelCases } from './sample';

export interface PanelChaseInput { step: number; kind: 'reminder' | 'escalation'; to: string[]; dueAt: string }

const html = (text: string) => `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#0b0c0c"><pre style="font-family:inherit;white-space:pre-wrap">${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre></body></html>`;

/** The panel workflow's side effects: the draw, referrals to the DCI, chases up the owner's chain, alerts and the report. */
export function panelActivities(deps: { dataSource: DataSource; publicUrl: string; logger: Logger }) {
  const { dataSource: db, logger } = deps;
  const people = () => db.getRepository(Person);
  const base = deps.publicUrl.replace(/\/$/, '');

  /** `owner` is the person themselves; `<organisation>:<rank>` the first active person of that rank above them. */
  async function recipients(owner: Person | null, to: string[]): Promise<Person[]> {
    const found = new Map<string, Person>();
    for (const who of to) {
      if (who === 'owner') { if (owner?.active) found.set(owner.id, owner); continue; }
      const [organisation, rank] = who.split(':');
      let current = owner;
      for (let hops = 0; current?.reportsTo && hops < 20; hops += 1) {
        current = await people().findOneBy({ id: current.reportsTo });
        if (current?.active && current.organisation === organisation && current.rank === rank) { found.set(current.id, current); break; }
      }
    }
    return [...found.values()];
  }

  async function mail(key: string, to: Person[], template: string, subject: string, text: string): Promise<number> {
    let sent = 0;
    for (const person of to) {
      if (await queueEmail(deps.dataSource, { key: `${key}:${person.id}`, to: person, template, render: () => ({ subject, text: `${person.name},\n\n${text}`, html: html(`${person.name},\n\n${text}`) }) })) sent += 1;
    }
    return sent;
  }

  return {
    /**
     * The panel of one sitting of a schedule, made once (unique per schedule and occurrence) with its members and a
     * fresh seed, recorded before anything is drawn from it: a retry, or the schedule's workflow replaying, finds it.
     */
    async recordScheduledPanel(input: { scheduleId: string; occurrence: string; sittingAt: string; periodFrom: string; policyVersion: string }): Promise<{ panelId: string }> {
      return db.transaction(async (tx) => {
        const [schedule] = (await tx.query('SELECT force_id, unit, members FROM panel_schedules WHERE id = $1', [input.scheduleId])) as { force_id: string; unit: string | null; members: string[] }[];
        if (!schedule) throw ApplicationFailure.nonRetryable(`panel schedule ${input.scheduleId} is not recorded`, 'ScheduleMissing');
        const id = randomUUID();
        await tx.query(
          `INSERT INTO panels (id, force_id, unit, schedule_id, occurrence, period_from, period_to, sitting_at, seed, policy_version, status, workflow_id, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, 'convened', $10, $11) ON CONFLICT DO NOTHING`,
          [id, schedule.force_id, schedule.unit, input.scheduleId, input.occurrence, input.periodFrom, input.sittingAt, randomBytes(12).toString('hex'), input.policyVersion, panelWorkflowId(id), `schedule:${input.scheduleId}`],
        );
        const [panel] = (await tx.query('SELECT id FROM panels WHERE schedule_id = $1 AND occurrence = $2', [input.scheduleId, input.occurrence])) as { id: string }[];
        for (const personId of schedule.members) await tx.query('INSERT INTO panel_members (panel_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [panel.id, personId]);
        return { panelId: panel.id };
      });
    },

    /**
     * Draws the panel's sample by the rules it is handed, from its recorded seed, and records the cases under labels
     * with each stratum's population and drawn count. Drawn once: a retry returns what was recorded.
     */
    async drawPanelSample({ panelId, rules }: { panelId: string; rules: PanelRules & { version: string } }): Promise<PanelSampleSummary> {
      return db.transaction(async (tx) => {
        const panel = await tx.getRepository(Panel).findOne({ where: { id: panelId }, lock: { mode: 'pessimistic_write' } });
        if (!panel) throw ApplicationFailure.nonRetryable(`panel ${panelId} is not recorded`, 'PanelMissing');
        if (!panel.strata) {
          const populations = await strataPopulations(tx, rules, { forceId: panel.forceId, unit: panel.unit }, { from: panel.periodFrom, to: panel.periodTo });
          const draws = drawSample(rules, panel.seed, populations, panel.requestedSize);
          for (const c of labelCases(panel.seed, panel.periodTo, draws)) {
            await tx.query('INSERT INTO panel_cases (panel_id, label, case_id, stratum, position) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [panelId, c.label, c.caseId, c.stratum, c.position]);
          }
          const strata: PanelStratumDrawn[] = draws.map(({ code, label, population, drawn, empty }) => ({ code, label, population, drawn, empty }));
          await tx.getRepository(Panel).update({ id: panelId }, { strata, rulesVersion: rules.version, status: panel.status === 'convened' ? 'sampled' : panel.status });
          panel.strata = strata;
          panel.rulesVersion = rules.version;
          logger.info({ panelId, drawn: draws.reduce((n, d) => n + d.drawn, 0), rulesVersion: rules.version }, 'panel sample drawn');
        }
        return { rulesVersion: panel.rulesVersion ?? rules.version, strata: panel.strata.map(({ code, population, drawn, empty }) => ({ code, population, drawn, empty })) };
      });
    },

    /**
     * A review's recommended referral, recorded once, and a task in the inbox of the DCI of the case's unit (else the
     * first DCI above its officer): the panel cannot reopen a case, the DCI decides and records what was done.
     */
    async recordPanelReferral({ panelId, reviewId, dueAt }: { panelId: string; reviewId: string; dueAt: string }): Promise<{ answered: boolean }> {
      const [review] = (await db.query(
        `SELECT r.label, pc.case_id, c.unit, c.force_id, c.officer_id FROM panel_reviews r JOIN panel_cases pc ON pc.panel_id = r.panel_id AND pc.label = r.label JOIN cases c ON c.id = pc.case_id
          WHERE r.id = $1 AND r.panel_id = $2`, [reviewId, panelId],
      )) as { label: string; case_id: string; unit: string; force_id: string; officer_id: string }[];
      if (!review) throw ApplicationFailure.nonRetryable(`review ${reviewId} is not recorded`, 'ReviewMissing');
      const [inUnit] = (await db.query(`SELECT id FROM people WHERE unit = $1 AND organisation = 'police' AND rank = 'DCI' AND active ORDER BY name, id LIMIT 1`, [review.unit])) as { id: string }[];
      const dciId = inUnit?.id ?? (await recipients(await people().findOneBy({ id: review.officer_id }), ['police:DCI']))[0]?.id ?? null;
      await db.query(
        `INSERT INTO panel_referrals (id, panel_id, label, review_id, case_id, dci_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (review_id) DO NOTHING`,
        [randomUUID(), panelId, review.label, reviewId, review.case_id, dciId],
      );
      const [referral] = (await db.query('SELECT id, outcome FROM panel_referrals WHERE review_id = $1', [reviewId])) as { id: string; outcome: string | null }[];
      if (!dciId) {
        logger.warn({ panelId, referralId: referral.id }, 'no DCI found for a recommended referral');
        return { answered: referral.outcome !== null };
      }
      await db.query(
        `INSERT INTO tasks (id, dedupe_key, person_id, case_id, force_id, kind, clock_key, clock_name, step, due_at, why, status, delivery)
         VALUES ($1, $2, $3, $4, $5, 'panel-referral', $6, 'panel.referralOutcome', 0, $7, $8, 'open', 'immediate') ON CONFLICT (dedupe_key) DO NOTHING`,
        [randomUUID(), `panel-referral:${referral.id}`, dciId, review.case_id, review.force_id, `panel-referral:${referral.id}`, dueAt,
          'a scrutiny panel recommended a referral of this case: decide and record what was done'],
      );
      const dci = await people().findOneByOrFail({ id: dciId });
      await mail(`panel-referral:${referral.id}`, [dci], 'panel-referral', 'A scrutiny panel recommended a referral',
        `A scrutiny panel recommended a referral of one of your unit's cases. It is in your inbox: decide and record what was done.\n\nYour inbox: ${base}/tasks\n\nYou receive this because you are the DCI for the case's unit.`);
      return { answered: referral.outcome !== null };
    },

    /** A step of a recommended referral's clock: the DCI reminded, then the step above them. */
    async chasePanelReferral({ reviewId, step, kind, to, dueAt }: PanelChaseInput & { reviewId: string }): Promise<{ sent: number }> {
      const [referral] = (await db.query('SELECT id, dci_id, outcome FROM panel_referrals WHERE review_id = $1', [reviewId])) as { id: string; dci_id: string | null; outcome: string | null }[];
      if (!referral || referral.outcome || !referral.dci_id) return { sent: 0 };
      const dci = await people().findOneBy({ id: referral.dci_id });
      const what = kind === 'reminder' ? 'is due' : 'is overdue';
      return { sent: await mail(`panel-referral:${referral.id}:chase:${step}`, await recipients(dci, to), 'panel-referral-chase', `A scrutiny panel's referral ${what}`,
        `What was done about a scrutiny panel's recommended referral ${what} (${dueAt.slice(0, 10)}).\n\nThe inbox: ${base}/tasks`) };
    },

    /** A step of a learning action's clock: the owner reminded before it is due, then up their chain after. */
    async chaseLearningAction({ panelId, actionId, step, kind, to, dueAt }: PanelChaseInput & { panelId: string; actionId: string }): Promise<{ sent: number }> {
      const [action] = (await db.query('SELECT owner_id, status FROM learning_actions WHERE id = $1', [actionId])) as { owner_id: string; status: string }[];
      if (!action || action.status !== 'open') return { sent: 0 };
      const owner = await people().findOneBy({ id: action.owner_id });
      const what = kind === 'reminder' ? `is due on ${dueAt.slice(0, 10)}` : `was due on ${dueAt.slice(0, 10)} and is overdue`;
      return { sent: await mail(`panel-${panelId}:learning-action:${actionId}:${step}`, await recipients(owner, to), 'learning-action-chase', `A scrutiny panel's learning action ${kind === 'reminder' ? 'is due' : 'is overdue'}`,
        `A learning action from a scrutiny panel ${what}.\n\nThe panel: ${base}/panels/${panelId}\n\nYou receive this because you own the action or supervise its owner.`) };
    },

    /** A pack withheld by its final check: the administrators of the panel's force are told which kinds of detail, never the detail. */
    async alertPackWithheld({ panelId, label, kinds }: { panelId: string; label: string; kinds: string[] }): Promise<{ sent: number }> {
      const [panel] = (await db.query('SELECT force_id FROM panels WHERE id = $1', [panelId])) as { force_id: string }[];
      const admins = (await db.query(`SELECT id FROM people WHERE 'admin' = ANY(roles) AND active AND (force_id = $1 OR (force_id IS NULL AND area_id IS NULL)) ORDER BY id`, [panel.force_id])) as { id: string }[];
      logger.warn({ panelId, label, kinds }, 'panel pack withheld: a known detail survived redaction');
      const to = await people().findBy(admins.map((a) => ({ id: a.id })));
      return { sent: await mail(`panel-${panelId}:withheld:${label}:${kinds.join(',')}`, to, 'panel-pack-withheld', `Scrutiny panel pack ${label} withheld`,
        `The pack ${label} of a scrutiny panel still held a known party's detail after redaction (${kinds.join(', ')}), so it was withheld from the panel.\nCheck the case's documents and parties.\n\nThe panel: ${base}/panels/${panelId}`) };
    },

    /** The panel's report, emailed once to its members and the DCIs of its scope when the panel closes. */
    async sendPanelReport({ panelId, rules }: { panelId: string; rules: PanelRules }): Promise<{ sent: number }> {
      const report = await panelReport(db, panelId, rules);
      const to = (await db.query(
        `SELECT p.id FROM people p WHERE p.active AND (p.id IN (SELECT person_id FROM panel_members WHERE panel_id = $1)
            OR (p.organisation = 'police' AND p.rank = 'DCI' AND p.force_id = $2 AND ($3::text IS NULL OR p.unit = $3))) ORDER BY p.id`,
        [panelId, report.scope.force, report.scope.unit],
      )) as { id: string }[];
      const recipientsFound = await people().findBy(to.map((t) => ({ id: t.id })));
      const sent = await mail(`panel-${panelId}:report`, recipientsFound, 'panel-report', 'Scrutiny panel report', `${reportText(report, rules.criteria)}\n\nThe report: ${base}/panels/${panelId}/report`);
      logger.info({ panelId, sent }, 'panel report sent');
      return { sent };
    },
  };
}
