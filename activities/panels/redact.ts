import { findNumbers } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';

/** A person whose details the case records, with the label the pack says instead: "the victim", "suspect 1". */
export interface KnownParty {
  role: string;
  name: string;
  dateOfBirth: string | null;
  nationalId: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
}

/** What a leftover detail was, for the withheld-pack alert: kinds only, never the detail. */
export type LeakKind = 'name' | 'date-of-birth' | 'national-id' | 'urn' | 'address' | 'phone' | 'email';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Letters of any script, so a boundary never falls inside an accented name. */
const WORD = '\\p{L}\\p{M}\\p{N}';
const wordish = (body: string) => new RegExp(`(?<![${WORD}])${body}(?![${WORD}])`, 'giu');
/** Whitespace inside a known detail may differ in the text (`SW1A 1AA` / `SW1A  1AA`). */
const spaced = (s: string) => s.trim().split(/\s+/).map(escape).join('\\s*');
/** An identifier may be written with spaces anywhere (`QQ 12 34 56 C`). */
const anySpacing = (s: string) => [...s.replace(/\s/g, '')].map(escape).join('\\s*');

// Patterns for what the parties' records may not hold (other people's details): UK postcodes (the Royal Mail format),
// e-mail addresses, street addresses with a number, national insurance numbers and URN-shaped references.
const POSTCODE = /\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})\b/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const STREET = /\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][\p{L}'-]+\s+){1,3}(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Place|Court|Gardens|Terrace|Grove|Hill|Square|Row|Mews|Park|Walk|Rise|View|Parade)\b\.?/gu;
const NATIONAL_INSURANCE = /\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/gi;
const URN = /\b\d{2}[A-Z]{2}\d{5,7}\d{0,2}\b/g;
const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec';
const DATE = new RegExp(`\\b(?:\\d{4}-\\d{2}-\\d{2}(?:T[\\d:.]+Z?)?|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})\\b`, 'gi');

/** Every way a date is commonly written: ISO, 17/03/1994, 17.3.94, 17 March 1994, 17th Mar 1994, March 17, 1994. */
function dateForms(iso: string): RegExp | undefined {
  const d = DateTime.fromISO(iso, { zone: 'UTC' });
  if (!d.isValid) return undefined;
  const day = `0?${d.day}(?:st|nd|rd|th)?`;
  const month = `(?:0?${d.month}|${d.toFormat('LLLL')}|${d.toFormat('LLL')}\\.?)`;
  const year = `(?:${d.year}|${String(d.year).slice(2)})`;
  return new RegExp(`(?:${d.toISODate()}|${day}[\\s/.,-]+${month}[\\s/.,-]+${year}|${month}[\\s/.,-]+${day}[\\s/.,-]+${year})`, 'gi');
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** The name forms of a party, longest first: the full name, then each part of it (given names, family name). */
function nameForms(name: string): string[] {
  const words = name.trim().split(/\s+/);
  // A double-barrelled name is redacted whole, and each half on its own.
  const parts = [...words, ...words.flatMap((w) => w.split(/-/))].filter((p) => p.length >= 2);
  return [...new Set([name.trim(), ...parts])].sort((a, b) => b.length - a.length);
}

/**
 * Redacts one free text for a panel: every known party's names (full, parts, possessives, any case) to their role
 * label, their dates of birth, national ids, addresses, phones and emails to a bracketed kind, the case's URN; then by
 * pattern the details no party record holds; and every remaining date to days since the report ("day 12").
 */
export class PackRedactor {
  private readonly rules: { pattern: RegExp; replace: (match: string, offset: number, text: string) => string }[] = [];

  constructor(private readonly parties: readonly KnownParty[], private readonly urn: string, private readonly reportedAt: Date) {
    const fixed = (label: string) => () => label;
    for (const p of parties) {
      const dob = p.dateOfBirth && dateForms(p.dateOfBirth);
      if (dob) this.rules.push({ pattern: dob, replace: fixed('[date of birth]') });
      if (p.nationalId) this.rules.push({ pattern: wordish(anySpacing(p.nationalId)), replace: fixed('[national id]') });
      if (p.email) this.rules.push({ pattern: new RegExp(escape(p.email.trim()), 'gi'), replace: fixed('[email]') });
      if (p.address) this.rules.push({ pattern: new RegExp(spaced(p.address).replace(/,/g, ',?'), 'gi'), replace: fixed('[address]') });
    }
    this.rules.push({ pattern: wordish(anySpacing(urn)), replace: fixed('[URN]') });
    // Names after the other details, longest first, so "Zephyrine Testvictim's" becomes "the victim's" in one piece.
    const names = parties.flatMap((p) => nameForms(p.name).map((form) => ({ form, role: p.role }))).sort((a, b) => b.form.length - a.form.length);
    for (const { form, role } of names) {
      this.rules.push({ pattern: wordish(`${spaced(form)}(?:['’]s|['’])?`), replace: (match, offset, text) => withPossessive(role, match, offset, text) });
    }
  }

  redact(text: string): string {
    let out = text;
    for (const rule of this.rules) out = out.replace(rule.pattern, (match: string, ...rest: unknown[]) => rule.replace(match, rest.at(-2) as number, rest.at(-1) as string));
    out = out.replace(EMAIL, '[email]');
    out = replacePhones(out);
    out = out.replace(STREET, '[address]').replace(POSTCODE, '[postcode]').replace(NATIONAL_INSURANCE, '[national id]').replace(URN, '[URN]');
    return out.replace(DATE, (match) => this.dayOf(match) ?? '[date]');
  }

  /** A date as days since the report: `day 12`, `day -30` (before it). */
  dayOf(value: string | Date): string | undefined {
    const parsed = value instanceof Date ? DateTime.fromJSDate(value) : parseDate(value);
    if (!parsed?.isValid) return undefined;
    return `day ${Math.floor((parsed.toMillis() - this.reportedAt.getTime()) / 86_400_000)}`;
  }

  /** Which kinds of known detail a finished text still holds (the final check before a pack is shown). */
  leaks(text: string): LeakKind[] {
    const found = new Set<LeakKind>();
    const lower = text.toLowerCase();
    const digits = digitsOf(text);
    for (const p of this.parties) {
      if (nameForms(p.name).some((form) => wordish(escape(form)).test(text))) found.add('name');
      const dob = p.dateOfBirth && dateForms(p.dateOfBirth);
      if (dob && dob.test(text)) found.add('date-of-birth');
      if (p.nationalId && lower.replace(/\s/g, '').includes(p.nationalId.toLowerCase().replace(/\s/g, ''))) found.add('national-id');
      if (p.email && lower.includes(p.email.toLowerCase().trim())) found.add('email');
      if (p.phone && digitsOf(p.phone).length >= 6 && digits.includes(digitsOf(p.phone).replace(/^44/, '').replace(/^0/, ''))) found.add('phone');
      if (p.address && lower.replace(/[\s,]/g, '').includes(p.address.toLowerCase().replace(/[\s,]/g, ''))) found.add('address');
    }
    if (lower.replace(/\s/g, '').includes(this.urn.toLowerCase())) found.add('urn');
    return [...found];
  }
}

function withPossessive(role: string, match: string, offset: number, text: string): string {
  const suffix = /['’]s?$/.exec(match)?.[0];
  const label = suffix ? `${role}${suffix.length === 1 ? "'s" : suffix.replace('’', "'")}` : role;
  // A sentence that began with the name begins with the label.
  const startsSentence = /(^|[.!?]\s+|\n\s*)$/.test(text.slice(0, offset));
  return startsSentence ? label[0].toUpperCase() + label.slice(1) : label;
}

function replacePhones(text: string): string {
  // POSSIBLE, not the default VALID: Ofcom's drama ranges and numbers not yet allocated are still someone's to hide.
  const options = { defaultCountry: 'GB', v2: true, leniency: 'POSSIBLE' } as unknown as Parameters<typeof findNumbers>[1];
  const found = findNumbers(text, options) as unknown as { startsAt: number; endsAt: number }[];
  let out = text;
  for (const { startsAt, endsAt } of [...found].sort((a, b) => b.startsAt - a.startsAt)) out = `${out.slice(0, startsAt)}[phone]${out.slice(endsAt)}`;
  return out;
}

function parseDate(value: string): DateTime | undefined {
  const v = value.replace(/(\d)(st|nd|rd|th)/i, '$1').replace(/,/g, '').replace(/\.(?=\s)/g, '').replace(/Sept/i, 'Sep').trim();
  for (const format of ['d/M/yyyy', 'd-M-yyyy', 'd.M.yyyy', 'd/M/yy', 'd MMMM yyyy', 'd MMM yyyy', 'MMMM d yyyy', 'MMM d yyyy']) {
    const d = DateTime.fromFormat(v, format, { zone: 'Europe/London', locale: 'en-GB' });
    if (d.isValid) return d;
  }
  const iso = DateTime.fromISO(v, { zone: 'Europe/London' });
  return iso.isValid ? iso : undefined;
}
