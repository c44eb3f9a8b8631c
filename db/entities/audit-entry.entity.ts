import { Column, Entity, PrimaryColumn } from 'typeorm';

/** bigint comes back from pg as a string; sequence numbers stay far below 2^53. */
const bigintAsNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * One line of the audit log: an access to case data or the directory. Holds ids, roles and the route pattern,
 * never request bodies or personal data. Rows are only ever inserted (see the audit-log migration).
 */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryColumn('bigint', { transformer: bigintAsNumber }) seq!: number;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('text', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text', { name: 'actor_roles', array: true }) actorRoles!: string[];
  /** `case.read`, `case.write`, `people.read`, `people.write`, `audit.read`, `codec.decode`, `codec.encode`. */
  @Column('text') action!: string;
  @Column('text') method!: string;
  /** The matched route pattern (`/api/cases/:id`), never the raw URL. */
  @Column('text') route!: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId!: string | null;
  @Column('text', { name: 'resource_id', nullable: true }) resourceId!: string | null;
  /** The HTTP status the caller received. */
  @Column('integer') outcome!: number;
  @Column('text', { name: 'source_ip', nullable: true }) sourceIp!: string | null;
  /** The organisation case data was disclosed to, where the route is a disclosure (s.62(3)). */
  @Column('text', { name: 'disclosed_to', nullable: true }) disclosedTo!: string | null;
  /**
   * The force the entry belongs to (the case's; else the person's the route is about, else the actor's), so a
   * force's administrator reads their own. Derived from hashed fields, so not hashed itself; absent: regional.
   */
  @Column('text', { name: 'force_id', nullable: true }) forceId?: string | null;
  @Column('text', { name: 'prev_hash' }) prevHash!: string;
  @Column('text') hash!: string;
}
