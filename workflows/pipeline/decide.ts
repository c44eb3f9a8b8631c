import { ApplicationFailure } from '@temporalio/workflow';
import { computeDue } from '../clocks/calendar';
import { policyFor, startClock, stopClock, supersedePastSteps } from '../clocks/clock';
import type { CaseRegistration, CaseStage } from '../contracts/case';
import type { CaseCommand, CaseCommandInput, CaseCommandType, CommandActor } from '../contracts/commands';
import { CPS_GRADES, POLICE_RANKS, type Rank } from '../contracts/people';
import type { PolicySnapshot } from '../contracts/policy';
import type { CaseState } from './state';

/** An email the transition calls for: who (relative to the case), and what they must do. */
export interface Notice {
  purpose: string;
  recipients: string[];
  headline: string;
}

/** What an accepted command did, for the timeline and the people who must act next. */
export interface Outcome {
  eventType: string;
  reason?: string;
  data: Record<string, unknown>;
  notices: Notice[];
}

export interface DecisionContext {
  now: string;
  /** Temporal's `patched()` in the handler (validators pass `() => true`: a patch never decides a refusal). */
  patched: (patchId: string) => boolean;
  registration: CaseRegistration;
  policy: PolicySnapshot;
  input: CaseCommandInput;
}

type Handler<T extends CaseCommandType> = (state: CaseState, command: Extract<CaseCommand, { type: T }>, ctx: DecisionContext) => Outcome;
export type Handlers = { [T in CaseCommandType]: Handler<T> };

/** A command that cannot happen now (wrong stage, wrong person, gate not passed): 409, nothing changes. */
export function refuse(message: string): never {
  throw dryRunning ? DRY_RUN_REFUSALS.IllegalTransition : ApplicationFailure.create({ message, type: 'IllegalTransition', nonRetryable: true });
}

/** A command whose content is incomplete for what it asks: 422, nothing changes. */
export function invalid(message: string): never {
  throw dryRunning ? DRY_RUN_REFUSALS.InvalidCommand : ApplicationFailure.create({ message, type: 'InvalidCommand', nonRetryable: true });
}

/**
 * Working out what a person may do now dry-runs dozens of commands and most are refused; only the kind of refusal is
 * read. Each new failure captures a stack through the workflow sandbox's formatter, which was most of a case page's
 * cost in the worker (npm run bench:web), so dry runs throw one prepared failure of each kind instead.
 */
let dryRunning = false;
const DRY_RUN_REFUSALS = {
  IllegalTransition: ApplicationFailure.create({ message: 'refused in a dry run', type: 'IllegalTransition', nonRetryable: true }),
  InvalidCommand: ApplicationFailure.create({ message: 'incomplete in a dry run', type: 'InvalidCommand', nonRetryable: true }),
};

/** A refusal thrown in a dry run: which kind, or undefined for anything else (e.g. a TypeError). */
export function dryRunRefusal(err: unknown): 'IllegalTransition' | 'InvalidCommand' | undefined {
  if (err === DRY_RUN_REFUSALS.IllegalTransition) return 'IllegalTransition';
  if (err === DRY_RUN_REFUSALS.InvalidCommand) return 'InvalidCommand';
  return undefined;
}

/** Runs `probe` with refusals thrown as the prepared failures (synchronous: nothing else runs meanwhile). */
export function dryRun<T>(probe: () => T): T {
  dryRunning = true;
  try {
    return probe();
  } finally {
    dryRunning = false;
  }
}

export function requireStage(state: CaseState, allowed: CaseStage[], what: string): void {
  if (!allowed.includes(state.stage)) refuse(`${what} is not possible while the case is ${state.stage}`);
}

export function requireOrganisation(actor: CommandActor, organisation: 'police' | 'cps', what: string): void {
  if (actor.organisation !== organisation) refuse(`${what} is for the ${organisation === 'cps' ? 'CPS' : 'police'}`);
}

/** Rank at or above `min` in its own organisation's chain (police ranks or CPS grades). */
export function rankAtLeast(rank: Rank, min: Rank): boolean {
  const chain: readonly string[] = (POLICE_RANKS as readonly string[]).includes(min) ? POLICE_RANKS : CPS_GRADES;
  const level = (r: string) => (r === 'PC' ? chain.indexOf('DC') : chain.indexOf(r));
  return chain.includes(rank) && level(rank) >= level(min);
}

export function requireRank(actor: CommandActor, min: Rank, what: string): void {
  if (!rankAtLeast(actor.rank, min)) refuse(`${what} needs a ${min} or above`);
}

export function moveTo(state: CaseState, stage: CaseStage): void {
  state.stage = stage;
}

export function armClock(state: CaseState, ctx: DecisionContext, name: string, subjectId: string, dueAt?: string): void {
  const clock = startClock(name, subjectId, ctx.now, ctx.policy, dueAt);
  const existing = state.clocks.findIndex((c) => c.key === clock.key);
  if (existing >= 0) {
    // Wake the runner sleeping on the old clock; it picks up the replacement by key.
    stopClock(state.clocks[existing], ctx.now);
    state.clocks.splice(existing, 1);
  }
  state.clocks.push(clock);
}

/**
 * Arms a clock whose deadline counts from `from` rather than from now (a detention from the relevant time, a court
 * application from the bail expiry): `spec` after `from`, by default the policy's `due`. Steps already past are skipped.
 */
export function armClockFrom(state: CaseState, ctx: DecisionContext, name: string, subjectId: string, from: string, spec = policyFor(name, ctx.policy).due): void {
  const { dueAt, explanation } = computeDue(from, spec, ctx.policy);
  armClock(state, ctx, name, subjectId, dueAt);
  const clock = state.clocks.at(-1)!;
  clock.explanation = explanation;
  supersedePastSteps(clock, ctx.now, ctx.policy);
}

export function disarmClock(state: CaseState, ctx: DecisionContext, name: string, subjectId: string): void {
  const clock = state.clocks.find((c) => c.key === `${name}:${subjectId}`);
  if (clock) stopClock(clock, ctx.now);
}

/** Stops every running clock (the case reached a decision or closed). */
export function disarmAll(state: CaseState, ctx: DecisionContext): void {
  for (const clock of state.clocks) stopClock(clock, ctx.now);
}

export function find<T extends { id: string }>(items: T[], id: string, what: string): T {
  const item = items.find((i) => i.id === id);
  if (!item) refuse(`${what} ${id} is not on this case`);
  return item;
}

export function requireDocument(ctx: DecisionContext, what: string): string {
  if (!ctx.input.documentId) invalid(`${what} needs its written content`);
  return ctx.input.documentId;
}
