// The worker bundles every workflow exported here.
export { caseWorkflow } from './case.workflow';
