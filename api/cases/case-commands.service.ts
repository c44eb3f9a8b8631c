import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CaseDocument, CaseItem, type CaseRecord, Person } from '../../db/entities';
import type { caseWorkflow } from '../../workflows/case.workflow';
import { type CaseCommand, type CaseCommandInput, caseCommandUpdate, type CaseRegistration, type CaseView, caseWorkflowId, type CommandActor, type Rank, TASK_QUEUE } from '../../workflows/contracts';
import type { CaseState } from '../../workflows/pipeline/state';
import { PolicyVersions } from '../policy/policy-versions';
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
    private readonly policyVersions: PolicyVersions,
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
    const update = { args: [{ command, actor, documentId, namedRanks }] as [CaseCommandInput], updateId: opts.idempotencyKey ? `${actor.id}:${opts.idempotencyKey}` : randomUUID() };
    try {
      try {
        return await this.temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(caseCommandUpdate, update);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        return await this.startFromStoredState(kase, update);
      }
    } catch (err) {
      if (documentId) await this.db.getRepository(CaseDocument).delete({ id: documentId });
      throw err;
    }
  }

  /**
   * A case with no running workflow (one imported closed: it needed none until now) is started from the state its
   * past left, and takes the command in the same round trip; a case with no stored state has nothing to start from.
   */
  private async startFromStoredState(kase: CaseRecord, update: { args: [CaseCommandInput]; updateId: string }): Promise<CaseView> {
    const [row] = (await this.db.query('SELECT registration, live_state FROM cases WHERE id = $1', [kase.id])) as { registration: CaseRegistration | null; live_state: CaseState | null }[];
    const policy = await this.policyVersions.get(kase.policyVersion);
    if (!row?.registration || !row.live_state || !policy) throw ApiError.unavailable('This case cannot take commands just now; try again shortly.');
    const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
      workflowId: caseWorkflowId(kase.id), taskQueue: TASK_QUEUE, args: [{ registration: row.registration, policy, carried: row.live_state }], workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return this.temporal.workflow.executeUpdateWithStart(caseCommandUpdate, { ...update, startWorkflowOperation: start });
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
