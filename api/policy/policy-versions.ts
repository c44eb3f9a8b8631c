import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PolicyVersion } from '../../db/entities';
import type { RegionPolicies } from '../../policy/load-policy';
import type { PolicySnapshot } from '../../workflows/contracts';
import { DATA_SOURCE, POLICIES } from '../infrastructure/tokens';

/**
 * Every policy a case may run under, by version: the ones in force, and any earlier one from policy_versions (a case
 * keeps the policy it started under). A version is a content hash, so what is read once is kept.
 */
@Injectable()
export class PolicyVersions {
  private readonly known = new Map<string, PolicySnapshot>();

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource, @Inject(POLICIES) policies: RegionPolicies) {
    for (const policy of policies.all()) this.known.set(policy.version, policy);
  }

  async get(version: string): Promise<PolicySnapshot | undefined> {
    const known = this.known.get(version);
    if (known) return known;
    const stored = await this.db.getRepository(PolicyVersion).findOneBy({ version });
    if (!stored) return undefined;
    const policy = stored.document as unknown as PolicySnapshot;
    this.known.set(version, policy);
    return policy;
  }
}
