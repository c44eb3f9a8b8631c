import { DateTime } from 'luxon';
import { loadPolicy, loadRegionPolicies } from '../../policy/load-policy';
import { recurrenceProblems, sittingsFrom } from '../../workflows/clinics/recurrence';
import { policyFile } from '../support/policy-files';

const london = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' });

describe('clinic recurrence', () => {
  const policy = loadPolicy();

  it('keeps a fortnightly 10:00 sitting at 10:00 UK time across the October and March clock changes', () => {
    const fortnightly = { firstSittingAt: '2026-10-06T10:00', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;INTERVAL=2' };
    const sittings = sittingsFrom(fortnightly, { nonWorkingDays: [] }, '2026-10-01T00:00:00Z', 16);
    expect(sittings).toHaveLength(16);
    expect(sittings.map((s) => london(s.sittingAt).toFormat('HH:mm'))).toEqual(Array(16).fill('10:00'));
    // Summer time before 25 October 2026 and after 28 March 2027 (09:00 UTC), winter time between (10:00 UTC).
    expect(sittings[0].sittingAt).toBe('2026-10-06T09:00:00.000Z');
    expect(sittings[1].sittingAt).toBe('2026-10-20T09:00:00.000Z');
    expect(sittings[2].sittingAt).toBe('2026-11-03T10:00:00.000Z');
    const lastWinter = sittings.findLast((s) => s.sittingAt < '2027-03-28');
    expect(lastWinter?.sittingAt).toBe('2027-03-23T10:00:00.000Z');
    expect(sittings.find((s) => s.sittingAt > '2027-03-28')?.sittingAt).toBe('2027-04-06T09:00:00.000Z');
    expect(sittings.every((s) => london(s.sittingAt).weekday === 2)).toBe(true);
  });

  it('moves a sitting on a bank holiday to the next working day at the same time, keeping the rule\'s occurrence as its identity', () => {
    const mondays = { firstSittingAt: '2026-12-14T10:00', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY' };
    const sittings = sittingsFrom(mondays, policy, '2026-12-01T00:00:00Z', 4);
    expect(sittings.map((s) => s.sittingAt)).toEqual(['2026-12-14T10:00:00.000Z', '2026-12-21T10:00:00.000Z', '2026-12-29T10:00:00.000Z', '2027-01-04T10:00:00.000Z']);
    // 28 December 2026 is the Boxing Day substitute bank holiday.
    expect(sittings[2]).toEqual({ sittingAt: '2026-12-29T10:00:00.000Z', occurrence: '2026-12-28T10:00:00.000Z', movedFrom: '2026-12-28T10:00:00.000Z' });
    // Good Friday and Easter Monday 2027 (26 and 29 March): a Friday sitting moves over the weekend and the Monday.
    const fridays = sittingsFrom({ firstSittingAt: '2027-03-19T14:30', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY' }, policy, '2027-03-20T00:00:00Z', 1);
    expect(fridays[0]).toMatchObject({ sittingAt: '2027-03-30T13:30:00.000Z', movedFrom: '2027-03-26T14:30:00.000Z' });
  });

  it('answers only sittings from the time asked, and none after the rule ends', () => {
    const three = { firstSittingAt: '2027-01-05T10:00', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;COUNT=3' };
    expect(sittingsFrom(three, policy, '2027-01-06T00:00:00Z', 6).map((s) => s.sittingAt)).toEqual(['2027-01-12T10:00:00.000Z', '2027-01-19T10:00:00.000Z']);
  });

  it('names what is wrong with a recurrence, by field', () => {
    expect(recurrenceProblems({ firstSittingAt: '2026-12-01T10:00', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;INTERVAL=2' })).toEqual([]);
    expect(recurrenceProblems({ firstSittingAt: 'tomorrow', timezone: 'Mars/Olympus', rrule: 'EVERY TUESDAY' }).map((p) => p.field)).toEqual(['timezone', 'firstSittingAt', 'rrule']);
    expect(recurrenceProblems({ firstSittingAt: '2027-03-28T01:30', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY' })).toEqual([{ field: 'firstSittingAt', problem: 'does not exist in Europe/London (a clock change skips it)' }]);
    expect(recurrenceProblems({ firstSittingAt: '2026-12-01T10:00', timezone: 'Europe/London', rrule: 'FREQ=SECONDLY' })[0]).toMatchObject({ field: 'rrule' });
    expect(recurrenceProblems({ firstSittingAt: '2026-12-01T10:00', timezone: 'Europe/London', rrule: 'DTSTART=20261201T100000Z;FREQ=WEEKLY' })[0]).toMatchObject({ field: 'rrule' });
    expect(recurrenceProblems({ firstSittingAt: '2026-12-01T10:00', timezone: 'Europe/London', rrule: 'FREQ=DAILY;BYHOUR=9' })[0]).toMatchObject({ field: 'rrule' });
  });
});

describe('the clinic agenda rules in the policy', () => {
  it('come with the defaults from the domain reference, versioned on their own', () => {
    const { agenda } = loadPolicy();
    expect(agenda).toMatchObject({ earlyAdviceWaiting: 'P21D', bailExpiringWithin: 'P30D', repeatConsultations: 2, victimNoContact: 'P28D' });
    expect(agenda?.reasons).toEqual(['action-overdue', 'early-advice-waiting', 'bail-expiring', 'repeat-suspect', 'second-action-plan', 'repeat-consultations', 'victim-disengaging', 'escalated', 'referred']);
    expect(agenda?.version).toMatch(/^agenda@[0-9a-f]{12}$/);
    expect(loadPolicy().clocks['clinic.outcome'].ladder).toEqual([{ after: 'P0D', to: 'liaison' }, { after: 'P2D', to: 'police:DI' }]);
  });

  it('layer per force field by field, and a change gives the rules a new version', () => {
    const region = policyFile({ name: 'region', extends: 'default', timezone: 'Europe/London', nonWorkingDays: { source: 'england-and-wales' }, clocks: {}, agenda: { victimNoContact: 'P14D' } });
    const force = policyFile({ name: 'north', extends: 'region', agenda: { repeatConsultations: 3 } });
    const policies = loadRegionPolicies(region, new Map([['north', force]]));
    expect(policies.region.agenda).toMatchObject({ victimNoContact: 'P14D', repeatConsultations: 2, earlyAdviceWaiting: 'P21D' });
    expect(policies.forForce('north').agenda).toMatchObject({ victimNoContact: 'P14D', repeatConsultations: 3 });
    expect(policies.forForce('north').agenda?.version).not.toBe(policies.region.agenda?.version);
    expect(policies.region.agenda?.version).not.toBe(loadPolicy().agenda?.version);
  });

  it('refuses agenda rules it cannot apply, naming each field', () => {
    const bad = policyFile({ name: 'bad', extends: 'default', timezone: 'Europe/London', nonWorkingDays: { source: 'none' }, clocks: {}, agenda: { reasons: ['gut-feeling'], bailExpiringWithin: 'a month', repeatConsultations: 0, colour: 'red' } });
    expect(() => loadPolicy(bad)).toThrow(/agenda\.colour: unknown field[\s\S]*agenda\.reasons[\s\S]*agenda\.bailExpiringWithin[\s\S]*agenda\.repeatConsultations/);
  });
});
