import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, In } from 'typeorm';
import { Person } from '../../db/entities';
import type { Organisation, Rank } from '../../workflows/contracts';
import { rankAtLeast } from '../../workflows/pipeline/decide';
import { staffReachCase } from '../cases/case-access';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';

/** Checks that a person named in a request exists in the directory, is active and belongs to the right organisation. */
@Injectable()
export class PeopleLookup {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** `caseId`: the person must also be one the case may be shown to (its force's staff, or a CPS team serving it). */
  async assertActive(id: string, field: string, organisation: Organisation, caseId?: string): Promise<Person> {
    const person = await this.db.getRepository(Person).findOneBy({ id });
    if (!person || !person.active || person.organisation !== organisation) {
      throw ApiError.unprocessable(`${field} must be an active ${organisation === 'cps' ? 'CPS' : organisation} person in the directory.`, [{ field, problem: `no active ${organisation} person with this id` }]);
    }
    if (caseId) await this.assertReachesCase(person, field, caseId);
    return person;
  }

  private async assertReachesCase(person: Person, field: string, caseId: string): Promise<void> {
    const [reaches] = (await this.db.query(`SELECT 1 FROM people p, cases c WHERE p.id = $1 AND c.id = $2 AND ${staffReachCase('p', 'c')}`, [person.id, caseId])) as unknown[];
    if (!reaches) {
      throw ApiError.unprocessable(`${field} must be of the case's force or of a CPS team serving it.`, [{ field, problem: "is not of the case's force or a CPS team serving it" }]);
    }
  }

  /** Staff names and ranks by id, for pages that show who did what (people not found are left out). */
  async namesOf(ids: readonly (string | null | undefined)[]): Promise<Map<string, { name: string; rank: string }>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))];
    const people = wanted.length ? await this.db.getRepository(Person).findBy({ id: In(wanted) }) : [];
    return new Map(people.map((p) => [p.id, { name: p.name, rank: p.rank }]));
  }

  /**
   * Active people of one organisation at or above a rank, to choose from on a form: within one unit, within units, a
   * force, the teams serving a unit, or those a case may be shown to (never another force's staff).
   */
  async choices(organisation: Organisation, minRank: Rank | undefined, within: { unit?: string; units?: readonly string[]; forceId?: string | null; caseId?: string; servingUnit?: string }): Promise<{ value: string; text: string }[]> {
    const qb = this.db.getRepository(Person).createQueryBuilder('p').where('p.organisation = :organisation AND p.active', { organisation });
    if (within.unit) qb.andWhere('p.unit = :unit', { unit: within.unit });
    if (within.units) qb.andWhere('p.unit = ANY(:units)', { units: [...within.units] });
    if (within.forceId !== undefined) qb.andWhere('p.force_id = :forceId', { forceId: within.forceId });
    // Staff of the CPS teams serving a police unit (unit_services), as a clinic's liaison must be.
    if (within.servingUnit) qb.andWhere('p.unit IN (SELECT s.cps_unit_id FROM unit_services s WHERE s.police_unit_id = :servingUnit)', { servingUnit: within.servingUnit });
    if (within.caseId) qb.andWhere(`EXISTS (SELECT 1 FROM cases c WHERE c.id = :caseId AND ${staffReachCase('p', 'c')})`, { caseId: within.caseId });
    const people = await qb.orderBy('p.name', 'ASC').take(500).getMany();
    return people.filter((p) => !minRank || rankAtLeast(p.rank, minRank)).map((p) => ({ value: p.id, text: `${p.name} (${p.rank}${p.unit ? `, ${p.unit}` : ''})` }));
  }

  async assertActiveAny(id: string, field: string, caseId: string): Promise<Person> {
    const person = await this.db.getRepository(Person).findOneBy({ id });
    if (!person || !person.active) throw ApiError.unprocessable(`${field} must be an active person in the directory.`, [{ field, problem: 'no active person with this id' }]);
    await this.assertReachesCase(person, field, caseId);
    return person;
  }
}
