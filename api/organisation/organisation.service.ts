import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, type EntityManager, In, type Repository } from 'typeorm';
import { CaseRecord, CpsArea, Force, Person, Unit, UnitServiceLink } from '../../db/entities';
import type { Organisation } from '../../workflows/contracts';
import type { Principal } from '../auth/principal';
import { ReachResolver } from '../auth/reach';
import { assertManages, directoryScope, managesPlacement } from '../cases/case-access';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import type { CreateCpsAreaDto, CreateForceDto, CreateUnitDto, ListUnitsQuery, UnitServicesDto, UpdateUnitDto } from './organisation.dto';

/** A unit as the API shows it: a police unit with the CPS teams serving it, a CPS team with the units it serves. */
export type UnitView = Pick<Unit, 'id' | 'name' | 'organisation' | 'forceId' | 'areaId'> & { servedBy?: string[]; serves?: string[] };

/** Where a person belongs, from their unit: a force for police staff, an area for CPS staff. */
export interface Placement { forceId: string | null; areaId: string | null }

const UNIQUE_VIOLATION = '23505';

/**
 * The region's organisation: forces, CPS areas, their units and which CPS teams serve which police units. The
 * regional administrator creates forces and areas; a force's (area's) administrator manages its own units, and sees
 * no other's (404). People and case registration ask it where a unit belongs.
 */
@Injectable()
export class OrganisationService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, private readonly reach: ReachResolver) {}

  listForces(): Promise<Force[]> {
    return this.db.getRepository(Force).find({ order: { code: 'ASC' } });
  }

  async force(id: string): Promise<Force> {
    const force = await this.db.getRepository(Force).findOneBy({ id });
    if (!force) throw ApiError.notFound('That force');
    return force;
  }

  async createForce(principal: Principal, dto: CreateForceDto): Promise<Force> {
    assertRegional(principal);
    const forces = this.db.getRepository(Force);
    if (await forces.existsBy({ id: dto.id })) throw ApiError.conflict('A force with that id already exists.');
    if (await forces.existsBy({ code: dto.code })) throw ApiError.conflict(`Force code ${dto.code} already belongs to another force.`);
    return this.inserting(forces, forces.create(dto), 'That force id or code is already taken.');
  }

  listAreas(): Promise<CpsArea[]> {
    return this.db.getRepository(CpsArea).find({ order: { id: 'ASC' } });
  }

  async createArea(principal: Principal, dto: CreateCpsAreaDto): Promise<CpsArea> {
    assertRegional(principal);
    const areas = this.db.getRepository(CpsArea);
    if (await areas.existsBy({ id: dto.id })) throw ApiError.conflict('A CPS area with that id already exists.');
    return this.inserting(areas, areas.create(dto), 'A CPS area with that id already exists.');
  }

  async listUnits(principal: Principal, query: ListUnitsQuery): Promise<UnitView[]> {
    const where = { ...(query.forceId ? { forceId: query.forceId } : {}), ...(query.areaId ? { areaId: query.areaId } : {}) };
    const units = (await this.db.getRepository(Unit).find({ where, order: { organisation: 'DESC', id: 'ASC' } })).filter((u) => managesPlacement(principal, u));
    const links = units.length ? await this.db.getRepository(UnitServiceLink).find({ where: [{ policeUnitId: In(units.map((u) => u.id)) }, { cpsUnitId: In(units.map((u) => u.id)) }] }) : [];
    return units.map((u) => present(u, links));
  }

  async createUnit(principal: Principal, dto: CreateUnitDto): Promise<UnitView> {
    const units = this.db.getRepository(Unit);
    const home = await this.homeOf(dto.organisation, { forceId: dto.forceId, areaId: dto.areaId });
    assertManages(principal, home);
    if (await units.existsBy({ id: dto.id })) throw ApiError.conflict('A unit with that id already exists.');
    const unit = await this.inserting(units, units.create({ id: dto.id, name: dto.name, organisation: dto.organisation, ...home }), 'A unit with that id already exists.');
    return present(unit, []);
  }

  /**
   * Renames a unit, or moves it to another force (area) while nobody belongs to it: moving a unit with people or cases
   * would hand their records to another force's controller.
   */
  async updateUnit(principal: Principal, id: string, dto: UpdateUnitDto): Promise<UnitView> {
    const view = await this.db.transaction(async (tx) => {
      const unit = await this.lockedUnit(tx, principal, id);
      const home = await this.homeOf(unit.organisation, { forceId: dto.forceId ?? unit.forceId ?? undefined, areaId: dto.areaId ?? unit.areaId ?? undefined });
      assertManages(principal, home);
      if (home.forceId !== unit.forceId || home.areaId !== unit.areaId) {
        const inUse = await tx.getRepository(Person).existsBy({ unit: id }) || await tx.getRepository(CaseRecord).existsBy({ unit: id });
        if (inUse) throw ApiError.conflict(`People or cases belong to unit ${id}: it cannot move to another ${unit.organisation === 'police' ? 'force' : 'area'}.`);
      }
      const saved = await tx.getRepository(Unit).save({ ...unit, ...home, name: dto.name ?? unit.name });
      return present(saved, await this.linksOf(tx, id));
    });
    this.reach.forget();
    return view;
  }

  /** Replaces the CPS teams that serve a police unit: which CPS staff may see its referred cases. */
  async setServices(principal: Principal, id: string, dto: UnitServicesDto): Promise<UnitView> {
    const view = await this.db.transaction(async (tx) => {
      const unit = await this.lockedUnit(tx, principal, id);
      if (unit.organisation !== 'police') {
        throw ApiError.unprocessable('CPS teams serve police units: this unit is a CPS team.', [{ field: 'id', problem: 'is a CPS team, not a police unit' }]);
      }
      const teams = dto.cpsUnits.length ? await tx.getRepository(Unit).findBy({ id: In(dto.cpsUnits), organisation: 'cps' }) : [];
      const unknown = dto.cpsUnits.filter((cps) => !teams.some((t) => t.id === cps));
      if (unknown.length) {
        throw ApiError.unprocessable('Every unit serving a police unit must be a CPS team.', unknown.map((cps) => ({ field: 'cpsUnits', problem: `${cps} is not a CPS team` })));
      }
      await tx.getRepository(UnitServiceLink).delete({ policeUnitId: id });
      if (teams.length) await tx.getRepository(UnitServiceLink).insert(teams.map((t) => ({ policeUnitId: id, cpsUnitId: t.id })));
      return present(unit, await this.linksOf(tx, id));
    });
    this.reach.forget();
    return view;
  }

  /**
   * The force of a case's unit: a police unit of a force, or 422 on `unit` (an unknown unit, or a CPS team). `moved`
   * says the allocation rules chose the unit rather than the caller.
   */
  async forceOfCaseUnit(unitId: string, moved = false): Promise<Force> {
    const unit = await this.db.getRepository(Unit).findOneBy({ id: unitId });
    const by = moved ? ` (the allocation rules place this case with ${unitId})` : '';
    if (!unit) throw ApiError.unprocessable(`The case's unit is not in the directory${by}.`, [{ field: 'unit', problem: 'unknown unit' }]);
    if (!unit.forceId) throw ApiError.unprocessable(`The case's unit is a CPS team${by}; cases belong to a police unit.`, [{ field: 'unit', problem: 'is a CPS team, not a police unit' }]);
    return this.db.getRepository(Force).findOneByOrFail({ id: unit.forceId });
  }

  /**
   * Where a person belongs, from their unit: police staff in a police unit of a force, CPS staff in a CPS team of an
   * area (others take their unit's). A force or area the caller names must exist and be the unit's.
   */
  async placePerson(organisation: Organisation, unitId: string, named: Partial<Placement>): Promise<Placement> {
    const unit = await this.db.getRepository(Unit).findOneBy({ id: unitId });
    if (!unit) throw ApiError.unprocessable('The unit is not in the directory: create it first.', [{ field: 'unit', problem: 'unknown unit' }]);
    if (organisation === 'police' && unit.organisation !== 'police') {
      throw ApiError.unprocessable('Police staff belong to a police unit.', [{ field: 'unit', problem: 'is a CPS team, not a police unit' }]);
    }
    if (organisation === 'cps' && unit.organisation !== 'cps') {
      throw ApiError.unprocessable('CPS staff belong to a CPS team.', [{ field: 'unit', problem: 'is a police unit, not a CPS team' }]);
    }
    if (named.forceId) await this.assertExists(Force, named.forceId, 'forceId', 'force');
    if (named.areaId) await this.assertExists(CpsArea, named.areaId, 'areaId', 'CPS area');
    for (const field of ['forceId', 'areaId'] as const) {
      if (named[field] && named[field] !== unit[field]) {
        throw ApiError.unprocessable(`The person's ${field === 'forceId' ? 'force' : 'area'} comes from their unit.`, [{ field, problem: `is not the ${field === 'forceId' ? 'force' : 'area'} of unit ${unit.id}` }]);
      }
    }
    return { forceId: unit.forceId, areaId: unit.areaId };
  }

  /** A unit's force or area, checked: a police unit needs an existing force and no area, a CPS team the reverse. */
  private async homeOf(organisation: Unit['organisation'], named: { forceId?: string; areaId?: string }): Promise<Placement> {
    if (organisation === 'police') {
      if (named.areaId) throw ApiError.unprocessable('A police unit belongs to a force, not a CPS area.', [{ field: 'areaId', problem: 'must be absent for a police unit' }]);
      if (!named.forceId) throw ApiError.unprocessable('A police unit belongs to a force.', [{ field: 'forceId', problem: 'is required for a police unit' }]);
      await this.assertExists(Force, named.forceId, 'forceId', 'force');
      return { forceId: named.forceId, areaId: null };
    }
    if (named.forceId) throw ApiError.unprocessable('A CPS team belongs to a CPS area, not a force.', [{ field: 'forceId', problem: 'must be absent for a CPS team' }]);
    if (!named.areaId) throw ApiError.unprocessable('A CPS team belongs to a CPS area.', [{ field: 'areaId', problem: 'is required for a CPS team' }]);
    await this.assertExists(CpsArea, named.areaId, 'areaId', 'CPS area');
    return { forceId: null, areaId: named.areaId };
  }

  private async assertExists(entity: typeof Force | typeof CpsArea, id: string, field: string, what: string): Promise<void> {
    if (!(await this.db.getRepository<Force | CpsArea>(entity).existsBy({ id }))) {
      throw ApiError.unprocessable(`There is no ${what} with that id.`, [{ field, problem: `unknown ${what}` }]);
    }
  }

  /** A unit the administrator manages, locked for the change; another force's is answered like an unknown one. */
  private async lockedUnit(tx: EntityManager, principal: Principal, id: string): Promise<Unit> {
    const unit = await tx.getRepository(Unit).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!unit || !managesPlacement(principal, unit)) throw ApiError.notFound('That unit');
    return unit;
  }

  private linksOf(tx: EntityManager, id: string): Promise<UnitServiceLink[]> {
    return tx.getRepository(UnitServiceLink).find({ where: [{ policeUnitId: id }, { cpsUnitId: id }] });
  }

  /** Inserts, never updates; two creations of one id at once: the loser gets the same 409 as a later duplicate. */
  private async inserting<T extends object>(repository: Repository<T>, row: T, conflict: string): Promise<T> {
    try {
      await repository.insert(row as never);
      return row;
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw ApiError.conflict(conflict);
      throw err;
    }
  }
}

/** Forces and CPS areas are the region's: only its administrator adds them. */
function assertRegional(principal: Principal): void {
  if (!directoryScope(principal).region) throw ApiError.forbidden("Forces and CPS areas are added by the region's administrator.");
}

function present(unit: Unit, links: UnitServiceLink[]): UnitView {
  const { id, name, organisation, forceId, areaId } = unit;
  return organisation === 'police'
    ? { id, name, organisation, forceId, areaId, servedBy: links.filter((l) => l.policeUnitId === id).map((l) => l.cpsUnitId).sort() }
    : { id, name, organisation, forceId, areaId, serves: links.filter((l) => l.cpsUnitId === id).map((l) => l.policeUnitId).sort() };
}
