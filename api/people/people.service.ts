import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { Person } from '../../db/entities';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';
import { OrganisationService } from '../organisation/organisation.service';
import type { CreatePersonDto, UpdatePersonDto } from './dto/person.dto';

/** The people directory and its supervision chain (who escalations go to). */
@Injectable()
export class PeopleService {
  private readonly people: Repository<Person>;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, private readonly organisation: OrganisationService) {
    this.people = dataSource.getRepository(Person);
  }

  list(filter: { unit?: string; forceId?: string; areaId?: string } = {}): Promise<Person[]> {
    const where = Object.fromEntries(Object.entries(filter).filter(([, v]) => typeof v === 'string'));
    return this.people.find({ where, order: { unit: 'ASC', name: 'ASC' } });
  }

  async get(id: string): Promise<Person & { chain: Pick<Person, 'id' | 'name' | 'rank'>[] }> {
    const person = await this.people.findOneBy({ id });
    if (!person) throw ApiError.notFound('That person');
    return { ...person, chain: await this.chainAbove(person) };
  }

  async create(dto: CreatePersonDto): Promise<Person> {
    await this.assertEmailFree(dto.email);
    if (dto.reportsTo) await this.assertExists(dto.reportsTo);
    const placement = await this.organisation.placePerson(dto.organisation, dto.unit, dto);
    return this.people.save(this.people.create({ ...dto, ...placement, id: randomUUID(), reportsTo: dto.reportsTo ?? null, active: true }));
  }

  async update(id: string, dto: UpdatePersonDto): Promise<Person> {
    const person = await this.people.findOneBy({ id });
    if (!person) throw ApiError.notFound('That person');
    if (dto.email && dto.email.toLowerCase() !== person.email.toLowerCase()) await this.assertEmailFree(dto.email);
    if (dto.reportsTo) {
      await this.assertExists(dto.reportsTo);
      const above = await this.chainAbove({ ...person, reportsTo: dto.reportsTo });
      if (dto.reportsTo === id || above.some((p) => p.id === id)) {
        throw ApiError.unprocessable('That supervision chain would loop.', [{ field: 'reportsTo', problem: 'would make this person their own supervisor' }]);
      }
    }
    // Only a change of unit or organisation moves a person; other edits leave where they belong as it is.
    const placement = [dto.unit, dto.organisation, dto.forceId, dto.areaId].some((v) => v !== undefined)
      ? await this.organisation.placePerson(dto.organisation ?? person.organisation, dto.unit ?? person.unit, dto) : {};
    return this.people.save({ ...person, ...dto, ...placement });
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

  private async assertExists(id: string): Promise<void> {
    if (!(await this.people.existsBy({ id }))) {
      throw ApiError.unprocessable('The supervisor does not exist.', [{ field: 'reportsTo', problem: 'no person with this id' }]);
    }
  }

  private async assertEmailFree(email: string): Promise<void> {
    const taken = await this.people.createQueryBuilder('p').where('lower(p.email) = lower(:email)', { email }).getExists();
    if (taken) throw ApiError.conflict('A person with that email is already in the directory.');
  }
}
