import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CaseDocument, CaseItem, type CaseRecord, Person } from '../../db/entities';
import { type CaseCommand, caseCommandUpdate, type CaseView, caseWorkflowId, type CommandActor, type Rank } from '../../workflows/contracts';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { stableId } from '../common/idempotency';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { openCase } from './case-access';

export type ItemKind = CaseItem['kind'];

/**
 * Sends commands to a case workflow as the `caseCommand` Update and answers from its result. The free text
 * that goes with a command is stored first (it may name people) and passed by id; a refused command removes it.
 */
@Injectable()
export class CaseCommandsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** The case an item belongs to (404 if unknown), after checking the caller may open it. */
  async caseOfItem(principal: Principal, kind: ItemKind, itemId: string): Promise<string> {
    const item = await this.db.getRepository(CaseItem).findOneBy({ id: itemId, kind });
    const what = `That ${kind.replace('-', ' ')}`;
    if (!item) throw ApiError.notFound(what);
    await openCase(this.db, principal, item.caseId, what);
    return item.caseId;
  }

  openable(principal: Principal, caseId: string): Promise<CaseRecord> {
    return openCase(this.db, principal, caseId);
  }

  async send(principal: Principal, caseId: string, command: CaseCommand, opts: { document?: { kind: string; body: object }; idempotencyKey?: string; named?: string[] } = {}): Promise<CaseView> {
    const kase = await this.openable(principal, caseId);
    const actor = await this.actorFor(principal);
    const namedRanks = await this.ranksOf(opts.named ?? []);
    const documentId = opts.document ? (opts.idempotencyKey ? stableId(actor.id, opts.idempotencyKey, 'document') : randomUUID()) : undefined;
    if (opts.document) {
      await this.db.createQueryBuilder().insert().into(CaseDocument)
        .values({ id: documentId, caseId, forceId: kase.forceId, kind: opts.document.kind, body: opts.document.body as never, authorId: actor.id }).orIgnore().execute();
    }
    try {
      return await this.temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(caseCommandUpdate, {
        args: [{ command, actor, documentId, namedRanks }],
        ...(opts.idempotencyKey ? { updateId: `${actor.id}:${opts.idempotencyKey}` } : {}),
      });
    } catch (err) {
      if (documentId) await this.db.getRepository(CaseDocument).delete({ id: documentId });
      throw err;
    }
  }

  /** The caller as the workflow sees them: directory id, acting role, organisation and rank. */
  async actorFor(principal: Principal): Promise<CommandActor> {
    const person = await this.db.getRepository(Person).findOneBy({ id: principal.id });
    if (!person || !person.active) throw ApiError.forbidden('You are not an active person in the people directory.');
    const role = (['supervisor', 'officer', 'cps'] as const).find((r) => principal.roles.includes(r) && person.roles.includes(r));
    if (!role) throw ApiError.forbidden('Your directory roles do not allow case commands.');
    return { id: person.id, role, organisation: person.organisation, rank: person.rank };
  }

  private async ranksOf(ids: string[]): Promise<Record<string, Rank>> {
    if (!ids.length) return {};
    const people = await this.db.getRepository(Person).findBy(ids.map((id) => ({ id })));
    return Object.fromEntries(people.map((p) => [p.id, p.rank]));
  }
}
