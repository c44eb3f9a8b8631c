import type { ScopeFigures } from './report';

/** Whose figures a report covers, as a caller asks for them: the region, a CPS area, a force or one police unit. */
export type ScopeRequest =
  | { level: 'region' }
  | { level: 'area'; id: string }
  | { level: 'force'; id: string }
  | { level: 'unit'; id: string };

/** A scope resolved against the directory: its name and every police unit (and force) whose cases it counts. */
export interface ResolvedScope {
  scope: ScopeFigures['scope'];
  forces: { id: string; name: string }[];
  units: { id: string; name: string; forceId: string }[];
  /** Whether panels held for a whole force count (they do for a force, an area or the region; not for one unit). */
  forceWide: boolean;
}

/** The scope asked for does not exist (an unknown area, force or unit, or a CPS team given as a unit). */
export class ScopeNotFound extends Error {
  constructor(readonly level: ScopeRequest['level'], readonly id: string | null, readonly reason: 'unknown' | 'not-a-police-unit' = 'unknown') {
    super(reason === 'unknown' ? `no ${level} ${id}` : `${id} is not a police unit`);
  }
}

interface Sql { query(sql: string, params?: unknown[]): Promise<unknown> }

/**
 * The police units (and their forces) a scope covers: a force's police units; the police units an area's CPS teams
 * serve (unit_services) and their forces; every police unit of the region; or one police unit.
 */
export async function resolveScope(db: Sql, request: ScopeRequest): Promise<ResolvedScope> {
  const unitsWhere: Record<ScopeRequest['level'], string> = {
    region: 'true',
    force: 'u.force_id = $1',
    area: `u.id IN (SELECT s.police_unit_id FROM unit_services s JOIN units t ON t.id = s.cps_unit_id WHERE t.area_id = $1)`,
    unit: 'u.id = $1',
  };
  const id = request.level === 'region' ? null : request.id;
  let name = 'All forces of the region';
  if (request.level === 'force' || request.level === 'area') {
    const [row] = (await db.query(`SELECT name FROM ${request.level === 'force' ? 'forces' : 'cps_areas'} WHERE id = $1`, [id])) as { name: string }[];
    if (!row) throw new ScopeNotFound(request.level, id);
    name = row.name;
  }
  if (request.level === 'unit') {
    const [row] = (await db.query('SELECT name, organisation, force_id FROM units WHERE id = $1', [id])) as { name: string; organisation: string; force_id: string | null }[];
    if (!row) throw new ScopeNotFound('unit', id);
    if (row.organisation !== 'police' || !row.force_id) throw new ScopeNotFound('unit', id, 'not-a-police-unit');
    name = row.name;
  }
  const units = (await db.query(
    `SELECT u.id, u.name, u.force_id AS "forceId" FROM units u WHERE u.organisation = 'police' AND u.force_id IS NOT NULL AND ${unitsWhere[request.level]} ORDER BY u.name, u.id`,
    id === null ? [] : [id],
  )) as ResolvedScope['units'];
  const forces = request.level === 'unit' ? [] : (await db.query(
    `SELECT f.id, f.name FROM forces f WHERE f.id = ANY($1) ORDER BY f.name, f.id`,
    [request.level === 'force' ? [id] : [...new Set(units.map((u) => u.forceId))]],
  )) as ResolvedScope['forces'];
  return { scope: { level: request.level === 'region' ? 'area' : request.level, id, name }, forces, units, forceWide: request.level !== 'unit' };
}
