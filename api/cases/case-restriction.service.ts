import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, In } from 'typeorm';
import { CaseAccessGrant, CaseRecord, Person } from '../../db/entities';
import { POLICE_RANKS } from '../../workflows/contracts';
import { hasRole, type Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { managesPlacement, openCase, staffReachCase } from './case-access';
import type { CaseRestrictionDto } from './dto/case-restriction.dto';

/** Ranks that may restrict a case of their own unit. */
const RESTRICTING_RANKS: readonly string[] = POLICE_RANKS.slice(POLICE_RANKS.indexOf('DI'));

/**
 * Restricted cases: who may open a case whose suspect is, say, police staff. Directory-type data the API writes
 * itself (like case_parties); the worker's projection never writes `cases.restricted` or the grants.
 */
@Injectable()
export class CaseRestrictionService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async get(principal: Principal, caseId: string) {
    await this.reachable(principal, caseId);
    return this.present(caseId);
  }

  /**
   * A DI or above of the case's unit who can open it, or an administrator, sets the restriction and replaces the
   * list of people named on it. The officer in case always keeps access and need not be listed.
   */
  async set(principal: Principal, caseId: string, dto: CaseRestrictionDto) {
    const record = await this.reachable(principal, caseId);
    if (!hasRole(principal, 'admin')) await this.assertMayRestrict(principal, record);
    if (!dto.restricted && dto.people.length) {
      throw ApiError.unprocessable('Lifting a restriction names nobody: send an empty people list.', [{ field: 'people', problem: 'must be empty when restricted is false' }]);
    }
    const people = dto.people.length ? await this.db.getRepository(Person).findBy({ id: In(dto.people) }) : [];
    const unusable = dto.people.map((id, index) => ({ id, index, person: people.find((p) => p.id === id) }))
      .filter(({ person }) => !person || !person.active || !['police', 'cps'].includes(person.organisation));
    if (unusable.length) {
      throw ApiError.unprocessable('Access can be granted only to active police or CPS people in the directory.',
        unusable.map(({ index }) => ({ field: `people.${index}`, problem: 'no active police or CPS person with this id' })));
    }
    // Named people must be of the case's force, or of a CPS team serving its unit: a grant never crosses forces.
    const reaching = dto.people.length ? new Set(((await this.db.query(
      `SELECT p.id FROM people p, cases c WHERE c.id = $1 AND p.id = ANY($2::uuid[]) AND ${staffReachCase('p', 'c')}`, [caseId, dto.people],
    )) as { id: string }[]).map((r) => r.id)) : new Set<string>();
    const outside = dto.people.map((id, index) => ({ id, index })).filter(({ id }) => !reaching.has(id));
    if (outside.length) {
      throw ApiError.unprocessable("Access can be granted only to staff of the case's force or of the CPS teams serving it.",
        outside.map(({ index }) => ({ field: `people.${index}`, problem: "is not of the case's force or a CPS team serving it" })));
    }
    await this.db.transaction(async (tx) => {
      await tx.getRepository(CaseRecord).update({ id: caseId }, { restricted: dto.restricted });
      await tx.getRepository(CaseAccessGrant).delete({ caseId });
      if (dto.people.length) {
        await tx.getRepository(CaseAccessGrant).insert(dto.people.map((personId) => ({ caseId, personId, grantedBy: principal.id })));
      }
    });
    return this.present(caseId);
  }

  /**
   * Administrators reach any case of the force they manage (to restrict it, never to read it; the regional
   * administrator every force's); everyone else only a case they can open.
   */
  private async reachable(principal: Principal, caseId: string): Promise<CaseRecord> {
    if (!hasRole(principal, 'admin')) return openCase(this.db, principal, caseId);
    const record = await this.db.getRepository(CaseRecord).findOneBy({ id: caseId });
    if (!record || !managesPlacement(principal, { forceId: record.forceId, areaId: null })) throw ApiError.notFound('That case');
    return record;
  }

  private async assertMayRestrict(principal: Principal, record: CaseRecord): Promise<void> {
    const person = await this.db.getRepository(Person).findOneBy({ id: principal.id });
    const eligible = hasRole(principal, 'supervisor') && person?.active && person.organisation === 'police'
      && person.roles.includes('supervisor') && RESTRICTING_RANKS.includes(person.rank) && person.unit === record.unit;
    if (!eligible) throw ApiError.forbidden("Restricting a case needs a DI or above of the case's unit, or an administrator.");
  }

  private async present(caseId: string) {
    const record = await this.db.getRepository(CaseRecord).findOneByOrFail({ id: caseId });
    const grants = await this.db.getRepository(CaseAccessGrant).find({ where: { caseId }, order: { grantedAt: 'ASC' } });
    const people = grants.length ? await this.db.getRepository(Person).findBy({ id: In(grants.map((g) => g.personId)) }) : [];
    return {
      caseId,
      restricted: record.restricted,
      officerId: record.officerId,
      people: grants.map((g) => {
        const person = people.find((p) => p.id === g.personId);
        return { id: g.personId, name: person?.name ?? null, rank: person?.rank ?? null, unit: person?.unit ?? null, grantedBy: g.grantedBy, grantedAt: g.grantedAt.toISOString() };
      }),
    };
  }
}
