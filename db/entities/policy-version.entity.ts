import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Every deadline policy ever put in force, by content hash; each case records the version it started under. */
@Entity('policy_versions')
export class PolicyVersion {
  @PrimaryColumn('text') version!: string;
  @Column('text') name!: string;
  @Column('jsonb') document!: Record<string, unknown>;
  @CreateDateColumn({ name: 'loaded_at', type: 'timestamptz' }) loadedAt!: Date;
}
