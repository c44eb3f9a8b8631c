import { loadPolicy } from '../../policy/load-policy';
import { computeDue } from '../../workflows/clocks/calendar';
import { IANAZone } from 'luxon';
import { policyZone } from '../../workflows/clocks/zone';

/** The working-day calculator every deadline uses (England and Wales bank holidays from the policy snapshot). */
describe('working-day calendar', () => {
  const calendar = { timezone: 'Europe/London', nonWorkingDays: loadPolicy(undefined, new Date('2026-06-01')).nonWorkingDays };
  const due = (from: string, spec: string) => computeDue(from, spec, calendar).dueAt;

  it('skips weekends', () => {
    expect(due('2026-11-27T15:00:00Z', '1wd')).toBe('2026-11-30T15:00:00.000Z'); // Fri → Mon
    expect(due('2026-11-28T09:00:00Z', '1wd')).toBe('2026-11-30T09:00:00.000Z'); // Sat → Mon
    expect(due('2026-11-23T10:00:00Z', '5wd')).toBe('2026-11-30T10:00:00.000Z'); // Mon → next Mon
  });

  it('skips bank holidays, including substitute days, across the year end', () => {
    // Thu 24 Dec 2026: Christmas (Fri), the weekend, Boxing Day substitute (Mon 28th) → Tue 29th is day 1.
    expect(due('2026-12-24T10:00:00Z', '1wd')).toBe('2026-12-29T10:00:00.000Z');
    expect(due('2026-12-24T10:00:00Z', '2wd')).toBe('2026-12-30T10:00:00.000Z');
    // Thu 31 Dec 2026 + 1wd: New Year's Day (Fri) and the weekend → Mon 4 Jan 2027.
    expect(due('2026-12-31T10:00:00Z', '1wd')).toBe('2027-01-04T10:00:00.000Z');
    // Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar.
    expect(due('2027-03-25T09:00:00Z', '1wd')).toBe('2027-03-30T08:00:00.000Z');
  });

  it('keeps the local time of day across a clock change', () => {
    // Fri 23 Oct 2026 10:00 BST (09:00Z) + 1wd = Mon 26 Oct 10:00 GMT (10:00Z): clocks went back on the 25th.
    expect(due('2026-10-23T09:00:00Z', '1wd')).toBe('2026-10-26T10:00:00.000Z');
    // Calendar days are local days too: P1D across the change is 25 hours, PT24H is 24.
    expect(due('2026-10-24T09:00:00Z', 'P1D')).toBe('2026-10-25T10:00:00.000Z');
    expect(due('2026-10-24T09:00:00Z', 'PT24H')).toBe('2026-10-25T09:00:00.000Z');
    // Spring forward: Sat 27 Mar 2027 12:00 GMT + P1D = Sun 28th 12:00 BST (11:00Z).
    expect(due('2027-03-27T12:00:00Z', 'P1D')).toBe('2027-03-28T11:00:00.000Z');
  });

  it('honours local closures and says how it counted', () => {
    const closed = { ...calendar, nonWorkingDays: [...calendar.nonWorkingDays, '2026-12-01'] };
    const result = computeDue('2026-11-30T10:00:00Z', '2wd', closed);
    expect(result.dueAt).toBe('2026-12-03T10:00:00.000Z');
    expect(result.explanation).toBe('2 working day(s) from Mon 30 Nov 2026 10:00 (skipping Tue 1 Dec): Thu 3 Dec 2026 10:00 Europe/London');
  });

  it('adds calendar months for bail limits and negative offsets for reminders', () => {
    // 30 Nov + 3 months has no 30 Feb: the limit falls on the last day of February.
    expect(due('2026-11-30T12:00:00Z', 'P3M')).toBe('2027-02-28T12:00:00.000Z');
    expect(due('2027-02-28T12:00:00Z', '-P21D')).toBe('2027-02-07T12:00:00.000Z');
  });
});

describe('the policy zone with remembered offsets', () => {
  it('answers every instant as the zone itself does, across both clock changes and on their days', () => {
    const remembered = policyZone('Europe/London');
    const own = IANAZone.create('Europe/London');
    // Every 7 minutes over both 2025 transition days, then every 5 hours and 1 minute over 2021-2026.
    const instants = [
      ...Array.from({ length: 420 }, (_, i) => Date.parse('2025-03-29T12:00:00Z') + i * 7 * 60_000),
      ...Array.from({ length: 420 }, (_, i) => Date.parse('2025-10-25T12:00:00Z') + i * 7 * 60_000),
      ...Array.from({ length: 10_500 }, (_, i) => Date.parse('2021-01-01T00:00:00Z') + i * 301 * 60_000),
    ];
    const differ = instants.filter((ts) => (remembered as IANAZone).offset(ts) !== own.offset(ts));
    expect(differ).toEqual([]);
    expect((remembered as IANAZone).offset(Date.parse('2025-10-26T00:59:59.999Z'))).toBe(60);
    expect((remembered as IANAZone).offset(Date.parse('2025-10-26T01:00:00Z'))).toBe(0);
  });

  it('leaves an unknown zone name to luxon, which calls the time invalid as before', () => {
    expect(() => computeDue('2025-01-01T00:00:00Z', 'P1D', { timezone: 'Nowhere/Atlantis', nonWorkingDays: [] })).toThrow('invalid instant');
  });
});

describe('working days over a clock change', () => {
  const calendar = { timezone: 'Europe/London', nonWorkingDays: [] as string[] };

  it('carries a time the spring change skips as the day-by-day walk does: 01:30 on the Sunday becomes 02:30', () => {
    // Sat 29 Mar 2025 01:30 GMT: Sunday 01:30 does not exist, so the walk moves to 02:30 BST and keeps it.
    expect(computeDue('2025-03-29T01:30:00Z', '2wd', calendar)).toEqual({
      dueAt: '2025-04-01T01:30:00.000Z',
      explanation: '2 working day(s) from Sat 29 Mar 2025 01:30 (skipping Sun 30 Mar): Tue 1 Apr 2025 02:30 Europe/London',
    });
  });

  it('keeps the wall-clock time across the autumn change, and the same instant arithmetic on steady days', () => {
    expect(computeDue('2025-10-24T00:30:00Z', '1wd', calendar).dueAt).toBe('2025-10-27T01:30:00.000Z');
    expect(computeDue('2025-06-05T09:15:00Z', '10wd', calendar).dueAt).toBe('2025-06-19T09:15:00.000Z');
  });
});
