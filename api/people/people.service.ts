import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { Person } from '../../db/entities';
import type { Principal } from '../auth/principal';
import { ReachResolver } from '../auth/reach';
import { assertManages, directoryScope, managesPlacement } from '../cases/case-access';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { OrganisationService } from '../organisation/organisation.service';
import type { CreatePersonDto, UpdatePersonDto } from './dto/person.dto';

/**
 * The people directory and its supervision chain (who escalations go to). A force's administrator reads and manages
 * their force's people only (another force's person is answered 404 like an unknown one); the regional administrator
 * manages everyone.
 */
@Injectable()
export class PeopleService {
  private readonly people: Repository<Person>;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, private readonly organisation: OrganisationService, private readonly reach: ReachResolver) {
    this.people = dataSource.getRepository(Person);
  }

  list(principal: Principal, filter: { unit?: string; forceId?: string; areaId?: string } = {}): Promise<Person[]> {
    const where: Record<string, string | null> = Object.fromEntries(Object.entries(filter).filter(([, v]) => typeof v === 'string'));
    const scope = directoryScope(principal);
    if (!scope.region) {
      // Their own force's (area's) people only, whatever the filter asks for.
      if ((where.forceId && where.forceId !== scope.forceId) || (where.areaId && where.areaId !== scope.areaId)) return Promise.resolve([]);
      if (scope.forceId) where.forceId = scope.forceId;
      else where.areaId = scope.areaId;
    }
    return this.people.find({ where, order: { unit: 'ASC', name: 'ASC' } });
  }

  async get(principal: Principal, id: string): Promise<Person & { chain: Pick<Person, 'id' | 'name' | 'rank'>[] }> {
    const person = await this.managed(principal, id);
    return { ...person, chain: await this.chainAbove(person) };
  }

  async create(principal: Principal, dto: CreatePersonDto): Promise<Person> {
    await this.assertEmailFree(dto.email);
    const placement = await this.organisation.placePerson(dto.organisation, dto.unit, dto);
    assertManages(principal, placement);
    if (dto.reportsTo) await this.assertSupervisor(dto.reportsTo, placement);
    const created = await this.people.save(this.people.create({ ...dto, ...placement, id: randomUUID(), reportsTo: dto.reportsTo ?? null, active: true }));
    this.reach.forget();
    return created;
  }

  async update(principal: Principal, id: string, dto: UpdatePersonDto): Promise<Person> {
    const person = await this.managed(principal, id);
    if (dto.email && dto.email.toLowerCase() !== person.email.toLowerCase()) await this.assertEmailFree(dto.email);
    // Only a change of unit or organisation moves a person; other edits leave where they belong as it is.
    const placement = [dto.unit, dto.organisation, dto.forceId, dto.areaId].some((v) => v !== undefined)
      ? await this.organisation.placePerson(dto.organisation ?? person.organisation, dto.unit ?? person.unit, dto) : { forceId: person.forceId, areaId: person.areaId };
    assertManages(principal, placement);
    if (dto.reportsTo) {
      await this.assertSupervisor(dto.reportsTo, placement);
      const above = await this.chainAbove({ ...person, reportsTo: dto.reportsTo });
      if (dto.reportsTo === id || above.some((p) => p.id === id)) {
        throw ApiError.unprocessable('That supervision chain would loop.', [{ field: 'reportsTo', problem: 'would make this person their own supervisor' }]);
      }
    }
    const saved = await this.people.save({ ...person, ...dto, ...placement });
    this.reach.forget();
    return saved;
  }

  /** A person the administrator manages; anyone else's existence is not theirs to learn (404). */
  private async managed(principal: Principal, id: string): Promise<Person> {
    const person = await this.people.findOneBy({ id });
    if (!person || !managesPlacement(principal, person)) throw ApiError.notFound('That person');
    return person;
  }

  /** The supervision chain above a person, nearest first. */
  private async chainAbove(person: Pick<Person, 'id' | 'reportsTo'>): Promise<Pick<Person, 'id' | 'name' | 'rank'>[]> {
    const chain: Person[] = [];
    let next = person.reportsTo;
    while (next && chain.length < 20 && !chain.some((p) => p.id === next)) {
      const boss = await this.people.findOneBy({ id: next });
      if (!boss) break;
      chain.push(boss);
      next = boss.reportsTo;
    }
    return chain.map(({ id, name, rank }) => ({ id, name, rank }));
  }

  /** A supervisor in the same force (or CPS area): escalations climb the chain, and must stay within the force. */
  private async assertSupervisor(id: string, placement: { forceId: string | null; areaId: string | null }): Promise<void> {
    const boss = await this.people.findOneBy({ id });
    if (!boss) throw ApiError.unprocessable('The supervisor does not exist.', [{ field: 'reportsTo', problem: 'no person with this id' }]);
    if (boss.forceId !== placement.forceId || boss.areaId !== placement.areaId) {
      throw ApiError.unprocessable('The supervisor must belong to the same force or CPS area.', [{ field: 'reportsTo', problem: 'belongs to another force or CPS area' }]);
    }
  }

  private async assertEmailFree(email: string): Promise<void> {
    const taken = await this.people.createQueryBuilder('p').where('lower(p.email) = lower(:email)', { email }).getExists();
    if (taken) throw ApiError.conflict('A person with that email is already in the directory.');
  }
}
