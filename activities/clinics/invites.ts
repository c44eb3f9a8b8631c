import { ApplicationFailure } from '@temporalio/common';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { type DataSource, In } from 'typeorm';
import { type AgendaReason, Clinic, Person } from '../../db/entities';
import type { Logger } from '../../infra/logger';
import { queueEmail } from '../mail/outbox';
import { clinicInviteIcs, type InvitePerson } from './invite-calendar';

/** Sittings are shown, and invites placed, in UK local time. */
const CLINIC_TIMEZONE = 'Europe/London';

export interface SendClinicInvitesInput {
  clinicId: string;
  method: 'REQUEST' | 'CANCEL';
}

interface Attendee { person: Person; as: 'liaison' | 'officer' | 'supervisor' }
interface AgendaRow { case_id: string; urn: string; officer_id: string; referred_to_cps: boolean; reasons: AgendaReason[] }

const mail = {
  subject: Handlebars.compile('{{#if cancelled}}Cancelled: {{/if}}Case progression clinic {{when}} ({{unit}}): {{count}} of your case(s)', { noEscape: true }),
  text: Handlebars.compile(`{{recipientName}},\n\n{{#if cancelled}}The case progression clinic of {{unit}} on {{when}} is cancelled.{{else}}The case progression clinic of {{unit}} sits on {{when}} for {{duration}} minutes. These cases are on its agenda for you:\n{{#each items}}\n- {{urn}}: {{reasons}} ({{link}}){{/each}}{{/if}}\n\nThe clinic: {{clinicLink}}\n\nYou receive this because you are {{why}}.`, { noEscape: true }),
  html: Handlebars.compile(`<!doctype html><html><body style="font-family:Arial,sans-serif;color:#0b0c0c"><p>{{recipientName}},</p>{{#if cancelled}}<p>The case progression clinic of {{unit}} on <strong>{{when}}</strong> is <strong>cancelled</strong>.</p>{{else}}<p>The case progression clinic of {{unit}} sits on <strong>{{when}}</strong> for {{duration}} minutes. These cases are on its agenda for you:</p><ul>{{#each items}}<li><a href="{{link}}" style="color:#1d70b8">{{urn}}</a>: {{reasons}}</li>{{/each}}</ul>{{/if}}<p><a href="{{clinicLink}}" style="color:#1d70b8">Open the clinic</a></p><p style="color:#505a5f;font-size:12px">You receive this because you are {{why}}. Sent by the pre-charge orchestrator.</p></body></html>`),
};

const chase = {
  subject: Handlebars.compile('{{#if escalation}}Overdue{{else}}Reminder{{/if}}: clinic outcomes to record ({{unit}}, {{when}})', { noEscape: true }),
  text: Handlebars.compile(`{{recipientName}},\n\nThe case progression clinic of {{unit}} on {{when}} has {{count}} case(s) without a recorded outcome (due {{dueAt}}):\n{{#each urns}}\n- {{this}}{{/each}}\n\nRecord them: {{clinicLink}}\n\nYou receive this because you are {{why}}.`, { noEscape: true }),
  html: Handlebars.compile(`<!doctype html><html><body style="font-family:Arial,sans-serif;color:#0b0c0c"><p>{{recipientName}},</p><p>The case progression clinic of {{unit}} on <strong>{{when}}</strong> has {{count}} case(s) without a recorded outcome (due {{dueAt}}):</p><ul>{{#each urns}}<li>{{this}}</li>{{/each}}</ul><p><a href="{{clinicLink}}" style="color:#1d70b8">Record the outcomes</a></p><p style="color:#505a5f;font-size:12px">You receive this because you are {{why}}. Sent by the pre-charge orchestrator.</p></body></html>`),
};

export interface ChaseClinicOutcomesInput {
  clinicId: string;
  step: number;
  kind: 'reminder' | 'escalation';
  /** `liaison`, or `<organisation>:<rank>` of the clinic's unit (police) or of the CPS teams serving it. */
  to: string[];
  dueAt: string;
}

const WHY = { liaison: 'the CPS liaison for this clinic', officer: 'the officer in case of the cases listed', supervisor: "a supervisor of the clinic's unit" };

/**
 * Invites (or cancellations) for a sitting: each attendee (the liaison, the officers in case on the agenda, the unit's
 * DS and DI) gets an inbox task per case of theirs on the agenda and one email with their part of it (an officer only
 * their own cases; CPS staff only cases referred to the CPS) and the iCalendar invite. URNs, reason codes, figures and
 * links only: no victim's or suspect's identity. Each email once per sitting, method, sequence and person.
 */
export function clinicInviteActivities({ dataSource, publicUrl, logger }: { dataSource: DataSource; publicUrl: string; logger: Logger }) {
  const base = publicUrl.replace(/\/$/, '');
  return {
    /**
     * A step of a sitting's outcome clock: whoever it names gets an inbox task per case still without an outcome and one
     * email listing their URNs. Once per step, person and case, whatever the retries.
     */
    async chaseClinicOutcomes({ clinicId, step, kind, to, dueAt }: ChaseClinicOutcomesInput): Promise<{ sent: number }> {
      const clinic = await dataSource.getRepository(Clinic).findOneBy({ id: clinicId });
      if (!clinic) throw ApplicationFailure.nonRetryable(`clinic ${clinicId} is not recorded`, 'ClinicMissing');
      const missing = (await dataSource.query(
        `SELECT i.case_id, c.urn FROM clinic_agenda_items i JOIN cases c ON c.id = i.case_id WHERE i.clinic_id = $1 AND i.outcome IS NULL AND NOT c.restricted ORDER BY i.position`,
        [clinicId],
      )) as { case_id: string; urn: string }[];
      if (!missing.length) return { sent: 0 };
      const people = dataSource.getRepository(Person);
      const recipients = new Map<string, Person>();
      for (const who of to) {
        const [organisation, rank] = who.split(':');
        const cpsIds = async () => ((await dataSource.query(
          `SELECT p.id FROM people p JOIN unit_services s ON s.cps_unit_id = p.unit WHERE s.police_unit_id = $1 AND p.organisation = 'cps' AND p.rank = $2 AND p.active`, [clinic.unit, rank],
        )) as { id: string }[]).map((r) => r.id);
        const found = who === 'liaison'
          ? (clinic.liaisonId ? await people.findBy({ id: clinic.liaisonId, active: true }) : [])
          : organisation === 'police'
            ? await people.findBy({ unit: clinic.unit, organisation: 'police', rank: rank as Person['rank'], active: true })
            : await people.findBy({ id: In(await cpsIds()) });
        if (!found.length) logger.warn({ clinicId, recipient: who }, 'no active person holds this role for the clinic');
        for (const p of found) recipients.set(p.id, p);
      }
      const when = DateTime.fromJSDate(clinic.sittingAt).setZone(CLINIC_TIMEZONE).toFormat("ccc d LLL yyyy 'at' HH:mm");
      const due = DateTime.fromISO(dueAt).setZone(CLINIC_TIMEZONE).toFormat("ccc d LLL yyyy 'at' HH:mm");
      let sent = 0;
      for (const person of recipients.values()) {
        const why = person.id === clinic.liaisonId ? WHY.liaison : `the ${person.rank} of the clinic's unit`;
        for (const m of missing) {
          await dataSource.query(
            `INSERT INTO tasks (dedupe_key, person_id, case_id, force_id, kind, clock_key, clock_name, step, due_at, why, delivery)
             VALUES ($1, $2, $3, $4, $5, $6, 'clinic.outcome', $7, $8, $9, 'immediate') ON CONFLICT (dedupe_key) DO NOTHING`,
            [`clinic-${clinicId}:outcome:${step}:${person.id}:${m.case_id}`, person.id, m.case_id, clinic.forceId, kind, `clinic.outcome:${clinicId}`, step, dueAt, `record the outcome of the clinic on ${when}`],
          );
        }
        const context = { recipientName: person.name, unit: clinic.unit, when, dueAt: due, count: missing.length, urns: missing.map((m) => m.urn), clinicLink: `${base}/clinics/${clinicId}`, why, escalation: kind === 'escalation' };
        if (await queueEmail(dataSource, {
          key: `clinic-${clinicId}:outcome-chase:${step}:${person.id}`, to: person, template: 'clinic-outcome-chase',
          render: () => ({ subject: chase.subject(context), text: chase.text(context), html: chase.html(context) }),
        })) sent += 1;
      }
      return { sent };
    },

    async sendClinicInvites({ clinicId, method }: SendClinicInvitesInput): Promise<{ sent: number; attendees: number }> {
      const clinic = await dataSource.getRepository(Clinic).findOneBy({ id: clinicId });
      if (!clinic) throw ApplicationFailure.nonRetryable(`clinic ${clinicId} is not recorded`, 'ClinicMissing');
      const agenda = (await dataSource.query(
        `SELECT i.case_id, c.urn, i.officer_id, c.referred_to_cps, i.reasons FROM clinic_agenda_items i JOIN cases c ON c.id = i.case_id
         WHERE i.clinic_id = $1 AND NOT c.restricted ORDER BY i.position`, [clinicId],
      )) as AgendaRow[];
      const people = dataSource.getRepository(Person);
      const attendees = new Map<string, Attendee>();
      const add = (person: Person | null, as: Attendee['as']) => { if (person?.active && !attendees.has(person.id)) attendees.set(person.id, { person, as }); };
      if (clinic.liaisonId) add(await people.findOneBy({ id: clinic.liaisonId }), 'liaison');
      // Supervisors before officers: a DS who is also an officer in case still sees the whole agenda.
      for (const p of await people.find({ where: { unit: clinic.unit, organisation: 'police', active: true }, order: { name: 'ASC' } })) {
        if (p.rank === 'DS' || p.rank === 'DI') add(p, 'supervisor');
      }
      for (const officerId of new Set(agenda.map((a) => a.officer_id))) add(await people.findOneBy({ id: officerId }), 'officer');
      const organiser = [...attendees.values()].find((a) => a.person.rank === 'DI')?.person ?? [...attendees.values()][0]?.person;
      if (!organiser) {
        logger.warn({ clinicId }, 'a clinic with nobody to invite');
        return { sent: 0, attendees: 0 };
      }
      const when = DateTime.fromJSDate(clinic.sittingAt).setZone(CLINIC_TIMEZONE).toFormat("ccc d LLL yyyy 'at' HH:mm");
      const clinicLink = `${base}/clinics/${clinicId}`;
      const invitees: InvitePerson[] = [...attendees.values()].map(({ person }) => ({ name: person.name, email: person.email }));
      const ics = clinicInviteIcs({
        clinicId, method, sequence: clinic.sequence, sittingAt: clinic.sittingAt, durationMinutes: clinic.durationMinutes, timezone: CLINIC_TIMEZONE,
        summary: `Case progression clinic (${clinic.unit})`, description: `${agenda.length} case(s) on the agenda. ${clinicLink}`, location: clinic.location, url: clinicLink,
        organiser: { name: organiser.name, email: organiser.email }, attendees: invitees,
      });
      let sent = 0;
      for (const { person, as } of attendees.values()) {
        const part = agenda.filter((a) => (as === 'officer' ? a.officer_id === person.id : person.organisation === 'cps' ? a.referred_to_cps : true));
        if (method === 'REQUEST') {
          for (const item of part) {
            await dataSource.query(
              `INSERT INTO tasks (dedupe_key, person_id, case_id, force_id, kind, clock_key, clock_name, step, due_at, why, delivery)
               VALUES ($1, $2, $3, $4, 'clinic', $5, 'clinic.sitting', 0, $6, $7, 'immediate')
               ON CONFLICT (dedupe_key) DO UPDATE SET due_at = EXCLUDED.due_at, why = EXCLUDED.why, status = 'open', closed_at = NULL`,
              [`clinic-${clinicId}:task:${person.id}:${item.case_id}`, person.id, item.case_id, clinic.forceId, `clinic:${clinicId}`, clinic.sittingAt,
                `on the agenda of the clinic on ${when}: ${item.reasons.map((r) => r.code).join(', ')}`],
            );
          }
        } else {
          await dataSource.query(`UPDATE tasks SET status = 'done', closed_at = now() WHERE clock_key = $1 AND person_id = $2 AND status = 'open'`, [`clinic:${clinicId}`, person.id]);
        }
        const context = {
          recipientName: person.name, unit: clinic.unit, when, duration: clinic.durationMinutes, count: part.length, cancelled: method === 'CANCEL', clinicLink, why: WHY[as],
          items: part.map((a) => ({ urn: a.urn, link: `${base}/cases/${a.case_id}`, reasons: a.reasons.map((r) => `${r.code} (${r.detail})`).join('; ') })),
        };
        if (await queueEmail(dataSource, {
          key: `clinic-${clinicId}:invite:${method}:${clinic.sequence}:${person.id}`, to: person, template: 'clinic-invite',
          render: () => ({ subject: mail.subject(context), text: mail.text(context), html: mail.html(context), calendar: { method, content: ics } }),
        })) sent += 1;
      }
      logger.info({ clinicId, method, sent, attendees: attendees.size }, 'clinic invites sent');
      return { sent, attendees: attendees.size };
    },
  };
}
