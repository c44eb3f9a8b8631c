import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a policy document to a file of its own, as a deployment would hand it over (POLICY_FILE, FORCE_POLICIES). */
export function policyFile(doc: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
