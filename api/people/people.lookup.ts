import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, In } from 'typeorm';
import { Person } from '../../db/entities';
import type { Organisation, Rank } from '../../workflows/contracts';
import { rankAtLeast } from '../../workflows/pipeline/decide';
import { ApiError } from '../common/api-error';
import { DATA_SOURCE } from '../infrastructure/tokens';

/** Checks that a person named in a request exists in the directory, is active and belongs to the right organisation. */
@Injectable()
export class PeopleLookup {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async assertActive(id: string, field: string, organisation: Organisation): Promise<Person> {
    const person = await this.db.getRepository(Person).findOneBy({ id });
    if (!person || !person.active || person.organisation !== organisation) {
      throw ApiError.unprocessable(`${field} must be an active ${organisation === 'cps' ? 'CPS' : organisation} person in the directory.`, [{ field, problem: `no active ${organisation} person with this id` }]);
    }
    return person;
  }

  /** Staff names and ranks by id, for pages that show who did what (people not found are left out). */
  async namesOf(ids: readonly (string | null | undefined)[]): Promise<Map<string, { name: string; rank: string }>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))];
    const people = wanted.length ? await this.db.getRepository(Person).findBy({ id: In(wanted) }) : [];
    return new Map(people.map((p) => [p.id, { name: p.name, rank: p.rank }]));
  }

  /** Active people of one organisation at or above a rank, to choose from on a form. */
  async choices(organisation: Organisation, minRank?: Rank, unit?: string): Promise<{ value: string; text: string }[]> {
    const people = await this.db.getRepository(Person).find({ where: { organisation, active: true, ...(unit ? { unit } : {}) }, order: { name: 'ASC' }, take: 500 });
    return people.filter((p) => !minRank || rankAtLeast(p.rank, minRank)).map((p) => ({ value: p.id, text: `${p.name} (${p.rank}${p.unit ? `, ${p.unit}` : ''})` }));
  }

  async assertActiveAny(id: string, field: string): Promise<Person> {
    const person = await this.db.getRepository(Person).findOneBy({ id });
    if (!person || !person.active) throw ApiError.unprocessable(`${field} must be an active person in the directory.`, [{ field, problem: 'no active person with this id' }]);
    return person;
  }
}
