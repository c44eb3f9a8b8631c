import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Person } from '../../db/entities';
import type { Organisation } from '../../workflows/contracts';
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

  async assertActiveAny(id: string, field: string): Promise<Person> {
    const person = await this.db.getRepository(Person).findOneBy({ id });
    if (!person || !person.active) throw ApiError.unprocessable(`${field} must be an active person in the directory.`, [{ field, problem: 'no active person with this id' }]);
    return person;
  }
}
