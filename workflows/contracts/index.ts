export * from './case';
export * from './clinics';
export * from './panels';
export * from './commands';
export * from './people';
export * from './policy';

/** One task queue for the case pipeline's workflows and activities. */
export const TASK_QUEUE = 'precharge';

/** Workflow ids are built from opaque UUIDs only, never from a URN or a person's name. */
export const caseWorkflowId = (caseId: string): string => `case-${caseId}`;

/** One workflow per import job of existing cases. */
export const importWorkflowId = (importId: string): string => `import-${importId}`;
export * from './reports';
