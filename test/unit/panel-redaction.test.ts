import { PackRedactor } from '../../activities/panels/redact';

/** Distinctive synthetic people: nobody real, a reserved mail domain, Ofcom's drama phone range. */
const victim = { role: 'the victim', name: 'Zephyrine Quorra-Testvictim', dateOfBirth: '1994-03-17', nationalId: 'QQ123456C', address: '14 Larkspur Road, Testbury TB9 4ZZ', phone: '07700 900123', email: 'zephyrine.q@example.test' };
const suspect = { role: 'suspect 1', name: 'Quillon Testsuspect', dateOfBirth: '1988-07-29', nationalId: 'PNC-SYN-000123', address: null, phone: null, email: null };
const URN = '45XY1234526';
const reported = new Date('2026-11-20T10:00:00Z');

describe('a panel pack\'s redaction', () => {
  const redactor = new PackRedactor([victim, suspect], URN, reported);

  it('turns every known detail into a role label or a kind, and leaves the sentence readable', () => {
    const text = [
      `Zephyrine told officers that QUILLON had followed her home. Zephyrine Quorra-Testvictim's account is consistent.`,
      `quillon testsuspect's phone was seized. Testsuspect’s solicitor declined; Quorra-Testvictim was born 17/03/1994 (17th March 1994).`,
      `She lives at 14 Larkspur Road, Testbury TB9 4ZZ and can be reached on 07700 900123 or zephyrine.q@example.test.`,
      `NI number QQ 12 34 56 C; suspect PNC-SYN-000123; case ${URN}. The witness lives at 3 Mill Lane, Otherton OT1 2AB, tel +44 20 7946 0958, w.ness@example.org.`,
      `The interview took place on 2026-11-22 and the review on 1 December 2026.`,
    ].join('\n');
    const out = redactor.redact(text);
    expect(out).toBe([
      `The victim told officers that suspect 1 had followed her home. The victim's account is consistent.`,
      `Suspect 1's phone was seized. Suspect 1's solicitor declined; the victim was born [date of birth] ([date of birth]).`,
      `She lives at [address] and can be reached on [phone] or [email].`,
      `NI number [national id]; suspect [national id]; case [URN]. The witness lives at [address], Otherton [postcode], tel [phone], [email].`,
      `The interview took place on day 1 and the review on day 10.`,
    ].join('\n'));
    expect(redactor.leaks(out)).toEqual([]);
  });

  it('finds what a redaction missed, by kind only', () => {
    expect(redactor.leaks('seen with zephyrine on 17 March 1994, ref 45XY 1234526, 07700900123')).toEqual(['name', 'date-of-birth', 'phone', 'urn']);
  });
});
