/**
 * The current workflow time, in ms. Inside Temporal's workflow sandbox `Date` is replaced by the time of the
 * workflow task being processed, so this is deterministic on replay; one named place keeps that explicit.
 */
export function workflowNow(): number {
  return new Date().getTime();
}
