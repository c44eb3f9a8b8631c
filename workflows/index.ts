// The worker bundles every workflow exported here.
export { caseWorkflow } from './case.workflow';
export { escalationDigestWorkflow } from './digest.workflow';
export { clinicWorkflow } from './clinic.workflow';
export { clinicScheduleWorkflow } from './clinic-schedule.workflow';
export { panelWorkflow } from './panel.workflow';
export { panelScheduleWorkflow } from './panel-schedule.workflow';
export { importWorkflow } from './import.workflow';
export { reportWorkflow } from './report.workflow';
