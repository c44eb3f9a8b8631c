import type { CONTACT_PREFERENCES } from '../../api/cases/dto/register-case.dto';
import type { OffenceType } from '../../workflows/contracts';
import type { Draw } from './draw';
import { DAY, type WorkingTime } from './working-time';

/**
 * The people and offence of a synthetic case. Names are built from syllables chosen to look invented (never drawn
 * from lists of real people), telephone numbers are in Ofcom's range for drama (07700 900xxx), emails and towns
 * are example ones, and national ids say SYN: nothing in a generated file can be mistaken for a real person.
 */
const GIVEN_STARTS = ['Zo', 'Qua', 'Xe', 'Vry', 'Ky', 'Ilu', 'Ora', 'Thes', 'Bel', 'Yv', 'Rho', 'Sel', 'Dru', 'Fen', 'Ix', 'Ula', 'Wen', 'Pim', 'Ceb', 'Nal'];
const GIVEN_ENDS = ['ra', 'nel', 'vin', 'sa', 'lix', 'dor', 'mi', 'quin', 'zel', 'ris', 'ta', 'vane', 'lo', 'bek', 'yth', 'na'];
const FAMILY_STARTS = ['Quor', 'Vell', 'Trax', 'Brim', 'Zand', 'Osk', 'Pell', 'Wyr', 'Hux', 'Mab', 'Grell', 'Yarr', 'Kess', 'Drum', 'Nox', 'Fitch', 'Jor', 'Blen'];
const FAMILY_MIDDLES = ['a', 'e', 'i', 'o', 'ub', 'ar', 'en', 'ol', 'ix', 'um', 'ey', 'av'];
const FAMILY_ENDS = ['by', 'wick', 'quist', 'mont', 'dell', 'thorpe', 'zan', 'vik', 'ley', 'worth', 'brax', 'stell'];
const STREETS = ['Street', 'Road', 'Lane', 'Close', 'Way', 'Gardens', 'Crescent'];

export interface Party {
  name: string;
  dateOfBirth: string;
  address?: string;
  phone?: string;
  email?: string;
}

export interface Suspect extends Party { nationalId?: string }

export interface Victim extends Party {
  vulnerable: boolean;
  contactPreference: (typeof CONTACT_PREFERENCES)[number];
}

export interface Offence { type: OffenceType; penetrative: boolean; committedFrom: string; committedTo?: string }

const OFFENCES: [OffenceType, number][] = [['rape', 55], ['assault-by-penetration', 14], ['sexual-assault', 22], ['causing-sexual-activity', 5], ['other-serious-sexual-offence', 4]];
const PREFERENCES: [Victim['contactPreference'], number][] = [['via-isva', 45], ['phone', 25], ['email', 14], ['in-person', 10], ['letter', 6]];

/**
 * Draws the parties of synthetic cases. Suspects are remembered (a bounded number, the most recent) so that a share of
 * later cases name one again, with the same name, date of birth and national id: the repeat suspects a force sees.
 */
export class Parties {
  private readonly known: Suspect[] = [];
  private nextKnown = 0;

  constructor(private readonly draw: Draw, private readonly time: WorkingTime, private readonly remember = 5_000, private readonly repeatShare = 0.1) {}

  name(): { given: string; family: string } {
    const d = this.draw;
    const family = `${d.pick(FAMILY_STARTS)}${d.chance(0.5) ? d.pick(FAMILY_MIDDLES) : ''}${d.pick(FAMILY_ENDS)}`;
    return { given: `${d.pick(GIVEN_STARTS)}${d.pick(GIVEN_ENDS)}`, family };
  }

  /** A date of birth `minAge` to `maxAge` years before `at`, ages drawn towards the young end. */
  private bornBefore(at: number, minAge: number, maxAge: number): string {
    const age = minAge + (maxAge - minAge) * this.draw.unit() ** 1.8;
    return new Date(at - age * 365.25 * DAY).toISOString().slice(0, 10);
  }

  private contact(given: string, family: string, shares: { address: number; phone: number; email: number }): Pick<Party, 'address' | 'phone' | 'email'> {
    const d = this.draw;
    const contact: Pick<Party, 'address' | 'phone' | 'email'> = {};
    if (d.chance(shares.address)) {
      contact.address = `${d.int(1, 240)} ${d.pick(FAMILY_STARTS)}${d.pick(FAMILY_ENDS)} ${d.pick(STREETS)}, Exampletown EX${d.int(1, 9)} ${d.int(1, 9)}${String.fromCharCode(65 + d.int(0, 25), 65 + d.int(0, 25))}`;
    }
    if (d.chance(shares.phone)) contact.phone = `07700 900${String(d.int(0, 999)).padStart(3, '0')}`;
    if (d.chance(shares.email)) contact.email = `${given}.${family}${d.int(1, 99)}@example.org`.toLowerCase();
    return contact;
  }

  /** The victim: a child in about one case in eight (always vulnerable), otherwise vulnerable in about one in three. */
  victim(reportedAt: number): Victim {
    const { given, family } = this.name();
    const child = this.draw.chance(0.12);
    const dateOfBirth = child ? this.bornBefore(reportedAt, 13, 17.9) : this.bornBefore(reportedAt, 18, 70);
    const vulnerable = child || this.draw.chance(0.33);
    const contactPreference = this.draw.weighted(PREFERENCES);
    return { name: `${given} ${family}`, dateOfBirth, vulnerable, contactPreference, ...this.contact(given, family, { address: 0.8, phone: 0.85, email: 0.5 }) };
  }

  /** A suspect: someone already named in an earlier case now and then, else someone new (and remembered). */
  suspect(reportedAt: number): { suspect: Suspect; repeat: boolean } {
    if (this.known.length && this.draw.chance(this.repeatShare)) return { suspect: this.draw.pick(this.known), repeat: true };
    const { given, family } = this.name();
    const suspect: Suspect = { name: `${given} ${family}`, dateOfBirth: this.bornBefore(reportedAt, 16, 75), ...this.contact(given, family, { address: 0.6, phone: 0.4, email: 0.15 }) };
    if (this.draw.chance(0.85)) suspect.nationalId = `SYN-${suspect.dateOfBirth.slice(2, 4)}/${String(this.draw.int(0, 9_999_999)).padStart(7, '0')}${String.fromCharCode(65 + this.draw.int(0, 25))}`;
    // A ring of the most recent suspects: memory stays bounded however many cases are drawn.
    if (this.known.length < this.remember) this.known.push(suspect);
    else this.known[this.nextKnown] = suspect;
    this.nextKnown = (this.nextKnown + 1) % this.remember;
    return { suspect, repeat: false };
  }

  /** The offence: mostly days to months before the report, a quarter of them years before (historic), never before the victim was 10. */
  offence(reportedAt: number, victimBorn: string): Offence {
    const type = this.draw.weighted(OFFENCES);
    const delayDays = this.draw.weighted<[number, number]>([[[0, 7], 45], [[8, 180], 30], [[181, 20 * 365], 25]]);
    const from = Math.max(reportedAt - this.draw.between(delayDays[0], delayDays[1]) * DAY, Date.parse(victimBorn) + 10 * 365.25 * DAY);
    const offence: Offence = { type, penetrative: type === 'rape' || type === 'assault-by-penetration', committedFrom: this.time.date(from) };
    // A period rather than a day for some: a night, or months of abuse in a historic case.
    if (this.draw.chance(0.4)) offence.committedTo = this.time.date(Math.min(reportedAt, from + (delayDays[0] > 180 ? this.draw.between(1, 900) : this.draw.between(0.2, 1.5)) * DAY));
    return offence;
  }
}
