import { defineSignal, defineUpdate } from '@temporalio/workflow';

/** Ids of the panel workflows: opaque UUIDs only, like every workflow id. */
export const panelWorkflowId = (panelId: string): string => `panel-${panelId}`;
export const panelScheduleWorkflowId = (scheduleId: string): string => `panel-schedule-${scheduleId}`;

/** What a panel schedule's workflow needs: times and rules only (members and scope stay in PostgreSQL). */
export interface PanelScheduleSpec {
  scheduleId: string;
  firstSittingAt: string;
  timezone: string;
  rrule: string;
  /** How long before each sitting its sample is drawn (ISO duration). */
  leadTime: string;
}

/** What a panel's workflow keeps of its sample: counts per stratum (the cases stay in PostgreSQL under labels). */
export interface PanelSampleSummary {
  rulesVersion: string;
  strata: { code: string; population: number; drawn: number; empty: boolean }[];
}

/** Answers once the sample is drawn: how a panel convened ad hoc answers with its sample at once. */
export const panelSampleUpdate = defineUpdate<PanelSampleSummary>('panelSample');

/** A learning action was set (its clock starts, due when agreed) or closed with a note (its clock stops). */
export const learningActionSetSignal = defineSignal<[{ actionId: string; dueAt: string }]>('learningActionSet');
export const learningActionClosedSignal = defineSignal<[{ actionId: string }]>('learningActionClosed');

/** A member's review recommended a referral: it becomes a task for the unit's DCI, chased until they record what was done. */
export const referralRecommendedSignal = defineSignal<[{ reviewId: string }]>('referralRecommended');
export const referralAnsweredSignal = defineSignal<[{ reviewId: string }]>('referralAnswered');

/** A pack failed its final check and was withheld: the administrators are alerted (kinds of detail only). */
export const packWithheldSignal = defineSignal<[{ label: string; kinds: string[] }]>('packWithheld');

/** The panel closed: its report goes to the members and the unit's DCI. */
export const panelClosedSignal = defineSignal('panelClosed');
