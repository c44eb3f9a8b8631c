import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import type { Claims, Principal, Reach } from './principal';
import { TokenVerifier } from './token-verifier';

/** How long a person's placement is reused: the guard runs on every request and page, a move shows within this. */
const CACHE_MS = 30_000;
const CACHE_MAX = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Placement { known: boolean; forceId: string | null; areaId: string | null }

/**
 * Where a caller belongs: their force or CPS area from the people directory, or, for someone not in it (a service
 * account, an administrator), from the issuer of their token. Never from a claim. An issuer vouching for one force
 * or area whose token names a directory person of another is refused with 401, like any bad token. Lookups are
 * cached briefly per person and per area; changes made through this API forget them at once.
 */
@Injectable()
export class ReachResolver {
  private readonly people = new Map<string, { at: number; placement: Placement }>();
  private readonly areas = new Map<string, { at: number; units: readonly string[] }>();

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, private readonly verifier: TokenVerifier) {}

  async resolve(claims: Claims): Promise<Principal> {
    const person = await this.placementOf(claims.id);
    const vouched = claims.issuer === undefined ? {} : this.verifier.homeOf(claims.issuer);
    if (!vouched) throw ApiError.unauthorized('The bearer token is invalid or expired.');
    if (person.known && ((vouched.forceId && vouched.forceId !== person.forceId) || (vouched.areaId && vouched.areaId !== person.areaId))) {
      throw ApiError.unauthorized('Your identity provider does not vouch for your force or CPS area.');
    }
    const forceId = person.known ? person.forceId : vouched.forceId ?? null;
    const areaId = person.known ? person.areaId : vouched.areaId ?? null;
    const reach: Reach = { forceId, areaId, servedUnits: areaId ? await this.servedBy(areaId) : [] };
    return { id: claims.id, roles: claims.roles, unit: claims.unit, ...(claims.issuer ? { issuer: claims.issuer } : {}), ...reach };
  }

  /** A person's placement or the units an area serves changed here: the next request reads them afresh. */
  forget(): void {
    this.people.clear();
    this.areas.clear();
  }

  private async placementOf(id: string): Promise<Placement> {
    const cached = this.people.get(id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.placement;
    const [row] = UUID.test(id)
      ? ((await this.db.query('SELECT force_id, area_id FROM people WHERE id = $1', [id])) as { force_id: string | null; area_id: string | null }[]) : [];
    const placement = { known: !!row, forceId: row?.force_id ?? null, areaId: row?.area_id ?? null };
    this.remember(this.people, id, { at: Date.now(), placement });
    return placement;
  }

  private async servedBy(areaId: string): Promise<readonly string[]> {
    const cached = this.areas.get(areaId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.units;
    const rows = (await this.db.query(`
      SELECT DISTINCT s.police_unit_id AS unit FROM unit_services s JOIN units cps ON cps.id = s.cps_unit_id
      WHERE cps.area_id = $1 ORDER BY 1`, [areaId])) as { unit: string }[];
    const units = rows.map((r) => r.unit);
    this.remember(this.areas, areaId, { at: Date.now(), units });
    return units;
  }

  /** Bounded: the oldest entry goes first, so many callers cannot grow it without limit. */
  private remember<T>(map: Map<string, T>, key: string, value: T): void {
    map.delete(key);
    if (map.size >= CACHE_MAX) map.delete(map.keys().next().value!);
    map.set(key, value);
  }
}
