import { DataSource } from 'typeorm';
import { entities } from './entities';
import { Foundation1764360000000 } from './migrations/1764360000000-foundation';
import { CasePipeline1764370000000 } from './migrations/1764370000000-case-pipeline';
import { AuditLog1764400000000 } from './migrations/1764400000000-audit-log';
import { Deadlines1764450000000 } from './migrations/1764450000000-deadlines';
import { Allocation1764600000000 } from './migrations/1764600000000-allocation';
import { RestrictedCases1764500000000 } from './migrations/1764500000000-restricted-cases';
import { WebSessions1764700000000 } from './migrations/1764700000000-web-sessions';
import { Region1764800000000 } from './migrations/1764800000000-region';
import { MyWork1764850000000 } from './migrations/1764850000000-my-work';
import { ForceScopedRecords1764900000000 } from './migrations/1764900000000-force-scoped-records';
import { Clinics1765000000000 } from './migrations/1765000000000-clinics';
import { CaseLiveState1765050000000 } from './migrations/1765050000000-case-live-state';
import { ClinicAgendaIndexes1765100000000 } from './migrations/1765100000000-clinic-agenda-indexes';
import { ScrutinyPanels1765200000000 } from './migrations/1765200000000-scrutiny-panels';
import { Imports1765300000000 } from './migrations/1765300000000-imports';
import { RepeatSuspect1765400000000 } from './migrations/1765400000000-repeat-suspect';
import { ReportDeliveries1765500000000 } from './migrations/1765500000000-report-deliveries';
import { Webhooks1765700000000 } from './migrations/1765700000000-webhooks';
import { ReportFigures1765800000000 } from './migrations/1765800000000-report-figures';
import { OutboundEmailFailures1765910000000 } from './migrations/1765910000000-outbound-email-failures';
import { MetricsIndexes1765950000000 } from './migrations/1765950000000-metrics-indexes';
import { ReportStateSpans1766000000000 } from './migrations/1766000000000-report-state-spans';
import { EmailOutbox1766200000000 } from './migrations/1766200000000-email-outbox';
import { AuditAppend1766300000000 } from './migrations/1766300000000-audit-append';

/** Migrations in order; schema changes only ever arrive through these (synchronize stays off). */
export const migrations = [Foundation1764360000000, CasePipeline1764370000000, AuditLog1764400000000, Deadlines1764450000000, RestrictedCases1764500000000, Allocation1764600000000, WebSessions1764700000000, Region1764800000000, MyWork1764850000000, ForceScopedRecords1764900000000, Clinics1765000000000, CaseLiveState1765050000000, ClinicAgendaIndexes1765100000000, ScrutinyPanels1765200000000, Imports1765300000000, RepeatSuspect1765400000000, ReportDeliveries1765500000000, Webhooks1765700000000, ReportFigures1765800000000, OutboundEmailFailures1765910000000, MetricsIndexes1765950000000, ReportStateSpans1766000000000, EmailOutbox1766200000000, AuditAppend1766300000000];

/** The one DataSource definition, shared by the API, the worker, the migration CLI and the tests. */
export function createDataSource(url: string, applicationName = 'precharge'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    applicationName,
    extra: { max: 10, connectionTimeoutMillis: 10_000 },
  });
}
