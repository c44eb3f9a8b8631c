import type { DataSource } from 'typeorm';
import type { PolicySnapshot } from '../workflows/contracts/policy';

/** Stores the policy in force by version (content hash), once; cases refer to it by that version. */
export async function recordPolicyVersion(dataSource: DataSource, policy: PolicySnapshot): Promise<void> {
  await dataSource.query(
    'INSERT INTO policy_versions (version, name, document) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING',
    [policy.version, policy.name, JSON.stringify(policy)],
  );
}
