import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Client, ServiceError, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CaseDocument, CaseItem, CaseRecord, Person } from '../../db/entities';
import type { caseWorkflow } from '../../workflows/case.workflow';
import { type CaseCommand, type CaseCommandInput, caseCommandUpdate, type CaseRegistration, type CaseView, caseWorkflowId, type CommandActor, type Rank, TASK_QUEUE } from '../../workflows/contracts';
import type { CaseState } from '../../workflows/pipeline/state';
import { PolicyVersions } from '../policy/policy-versions';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { stableId } from '../common/idempotency';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { openCase, openRecord } from './case-access';

export type ItemKind = CaseItem['kind'];

/**
 * Sends commands to a case workflow as the `caseCommand` Update and answers from its result. The free text
 * that goes with a command is stored first (it may name people) and passed by id; a refused command removes it.
 *
 * A command happens with its document, or not at all. A call that fails without an answer (the connection to
 * Temporal lost, a deadline passed: the client's own retries of the same Update id having run out) may have been
 * accepted all the same, so its document stays and the caller is told the outcome is unknown: the same request
 * again with the same Idempotency-Key names the same document and the same Update id, which Temporal de-duplicates,
 * so the retry answers with the first attempt's result or makes the command happen once. Only a definite refusal (the
 * validator's or the handler's, or a case that cannot take commands) removes the document, and only while no timeline
 * event refers to it. A document left by a command that never happened is referred to by nothing: no page shows it.
 */
@Injectable()
export class CaseCommandsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly policyVersions: PolicyVersions,
  ) {}

  /**
   * The case an item belongs to (404 if unknown), after checking the caller may open it: the record to send the item's
   * command with, so the case is not read twice.
   */
  async caseOfItem(principal: Principal, kind: ItemKind, itemId: string): Promise<CaseRecord> {
    const what = `That ${kind.replace('-', ' ')}`;
    const record = await this.db.getRepository(CaseRecord).createQueryBuilder('c')
      .innerJoin(CaseItem, 'i', 'i.case_id = c.id').where('i.id = :itemId AND i.kind = :kind', { itemId, kind }).getOne();
    if (!record) throw ApiError.notFound(what);
    return openRecord(this.db, principal, record, what);
  }

  openable(principal: Principal, caseId: string): Promise<CaseRecord> {
    return openCase(this.db, principal, caseId);
  }

  /** Sends a command to a case, named by id or as the record the caller was already checked against (caseOfItem). */
  async send(principal: Principal, to: string | CaseRecord, command: CaseCommand, opts: { document?: { kind: string; body: object }; idempotencyKey?: string; named?: string[] } = {}): Promise<CaseView> {
    const kase = typeof to === 'string' ? await this.openable(principal, to) : to;
    const caseId = kase.id;
    const actor = await this.actorFor(principal);
    const namedRanks = await this.ranksOf(opts.named ?? []);
    const documentId = opts.document ? (opts.idempotencyKey ? stableId(actor.id, opts.idempotencyKey, 'document') : randomUUID()) : undefined;
    if (opts.document) {
      await this.db.createQueryBuilder().insert().into(CaseDocument)
        .values({ id: documentId, caseId, forceId: kase.forceId, kind: opts.document.kind, body: opts.document.body as never, authorId: actor.id }).orIgnore().execute();
    }
    // sentAt: the command's time, even if a reset makes the case take it again later (see CaseCommandInput).
    const update = { args: [{ command, actor, documentId, namedRanks, sentAt: new Date().toISOString() }] as [CaseCommandInput], updateId: opts.idempotencyKey ? `${actor.id}:${opts.idempotencyKey}` : randomUUID() };
    try {
      try {
        return await this.temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(caseCommandUpdate, update);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        return await this.startFromStoredState(kase, update);
      }
    } catch (err) {
      if (!refused(err)) {
        throw ApiError.unavailable(opts.idempotencyKey
          ? 'The workflow service did not confirm this command: it may have been recorded. Send it again with the same Idempotency-Key to find out; it is never recorded twice.'
          : 'The workflow service did not confirm this command: it may have been recorded. Check the case before sending it again.');
      }
      // The event that would refer to the document is written before the Update completes: none, no command.
      if (documentId) await this.db.query('DELETE FROM case_documents d WHERE d.id = $1 AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = $2 AND e.document_id = $1)', [documentId, caseId]);
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

/**
 * gRPC status codes that say the server refused the call itself, before any Update could be admitted: INVALID_ARGUMENT,
 * NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, FAILED_PRECONDITION, UNIMPLEMENTED, UNAUTHENTICATED.
 */
const REFUSING_CODES = new Set([3, 5, 6, 7, 9, 12, 16]);

/**
 * Whether a failed command certainly did not happen: refused by the workflow (its validator or handler), by this
 * API, or by the server for the request itself. Anything else (lost connection, deadline, cancellation, an error of
 * unknown kind) leaves the outcome unknown.
 */
export function refused(err: unknown): boolean {
  // Not WorkflowNotFoundError: here it can only come from polling for an Update's result, which may have been accepted.
  if (err instanceof WorkflowUpdateFailedError || err instanceof ApiError) return true;
  const code = err instanceof ServiceError ? (err.cause as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'number' && REFUSING_CODES.has(code);
}
