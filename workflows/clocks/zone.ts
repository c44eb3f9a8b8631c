import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

const DAY_MS = 86_400_000;
/** Days remembered per zone before the memory is cleared: about eleven years of distinct days. */
const MAX_DAYS = 4_096;

/**
 * An IANA zone whose UTC offsets are remembered per UTC day. Luxon asks `Intl` for the offset of every instant it
 * touches, which was the costliest step in replaying years of clocks on import; a zone changes its offset on a few
 * days a year. A day is remembered only when its first and last milliseconds have the same offset, so a day with a
 * transition is still asked instant by instant and every answer is the zone's own: deterministic, safe in workflows.
 */
export class DayOffsetZone extends Zone {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly zone: IANAZone) {
    super();
  }

  override get type(): string {
    return this.zone.type;
  }

  override get name(): string {
    return this.zone.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): true {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.zone.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.zone.formatOffset(ts, format);
  }

  override offset(ts: number): number {
    return this.dayOffset(Math.floor(ts / DAY_MS)) ?? this.zone.offset(ts);
  }

  /** The offset for the whole of `from`..`to` (epoch ms), if it does not change anywhere in between. */
  offsetThroughout(from: number, to: number): number | undefined {
    const first = this.dayOffset(Math.floor(from / DAY_MS));
    for (let day = Math.floor(from / DAY_MS) + 1; first !== undefined && day <= Math.floor(to / DAY_MS); day += 1) {
      if (this.dayOffset(day) !== first) return undefined;
    }
    return first;
  }

  /** The offset of a whole UTC day, or undefined for a day the zone changes its offset on. */
  private dayOffset(day: number): number | undefined {
    const known = this.offsets.get(day);
    if (known !== undefined) return known;
    const first = this.zone.offset(day * DAY_MS);
    if (first !== this.zone.offset(day * DAY_MS + DAY_MS - 1)) return undefined;
    if (this.offsets.size >= MAX_DAYS) this.offsets.clear();
    this.offsets.set(day, first);
    return first;
  }

  override equals(other: Zone): boolean {
    return other.type === this.type && other.name === this.name;
  }
}

const zones = new Map<string, Zone>();

/** The zone for a policy's `timezone`, offsets remembered; an unknown name answers luxon's invalid zone as before. */
export function policyZone(name: string): Zone | string {
  let zone = zones.get(name);
  if (!zone) {
    const iana = IANAZone.create(name);
    if (!iana.isValid) return name;
    zone = new DayOffsetZone(iana);
    zones.set(name, zone);
  }
  return zone;
}
