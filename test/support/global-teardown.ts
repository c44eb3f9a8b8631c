/** Stops what global-setup started, newest first. */
export default async function globalTeardown(): Promise<void> {
  const stops = ((globalThis as Record<string, unknown>).__PRECHARGE_STOPS__ ?? []) as (() => Promise<void>)[];
  for (const stop of [...stops].reverse()) await stop().catch((err: Error) => console.error(`teardown: ${err.message}`));
}
