import type { DataSource } from 'typeorm';
import type { RegionPolicies } from './load-policy';

/** Stores every policy in force (the region's and each force's) by version, once; cases refer to them by version. */
export async function recordPolicyVersions(dataSource: DataSource, policies: RegionPolicies): Promise<void> {
  for (const policy of policies.all()) {
    await dataSource.query(
      'INSERT INTO policy_versions (version, name, document) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING',
      [policy.version, policy.name, JSON.stringify(policy)],
    );
  }
}
