import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, RouterModule } from '@nestjs/core';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Environment } from '../infra/config';
import type { RegionPolicies } from '../policy/load-policy';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditService } from './audit/audit.service';
import { AuthGuard } from './auth/auth.guard';
import { ReachResolver } from './auth/reach';
import { TokenVerifier } from './auth/token-verifier';
import { ActionPlansController } from './action-plans/action-plans.controller';
import { ActionPlansService } from './action-plans/action-plans.service';
import { CaseOutcomesController } from './case-outcomes/case-outcomes.controller';
import { CaseOutcomesService } from './case-outcomes/case-outcomes.service';
import { CaseRestrictionController } from './cases/case-restriction.controller';
import { CaseRestrictionService } from './cases/case-restriction.service';
import { ClinicsController } from './clinics/clinics.controller';
import { ClinicsService } from './clinics/clinics.service';
import { PanelSchedulesController } from './panels/panel-schedules.controller';
import { PanelSchedulesService } from './panels/panel-schedules.service';
import { PanelsController } from './panels/panels.controller';
import { PanelsService } from './panels/panels.service';
import { ImportsController } from './imports/imports.controller';
import { ImportsService } from './imports/imports.service';
import { CodecModule } from './codec/codec.module';
import { ClocksController } from './clocks/clocks.controller';
import { ClocksService } from './clocks/clocks.service';
import { CustodyController } from './custody/custody.controller';
import { CustodyService } from './custody/custody.service';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { RepeatSuspectsController } from './reports/repeat-suspects.controller';
import { RepeatSuspectsReport } from './reports/repeat-suspects.service';
import { ReportFigures } from './reports/report-figures';
import { ReportReader } from './reports/report-reader';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { ReviewsController } from './reviews/reviews.controller';
import { ReviewsService } from './reviews/reviews.service';
import { CaseCommandsService } from './cases/case-commands.service';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { PageErrorFilter } from '../web/common/page-error.filter';
import { WebModule } from '../web/web.module';
import { FailedAuthLimiter } from './hardening/failed-auth';
import { rateLimiting } from './hardening/rate-limit';
import { EarlyAdviceController } from './early-advice/early-advice.controller';
import { EarlyAdviceService } from './early-advice/early-advice.service';
import { HealthController } from './health/health.controller';
import { ApiMetrics } from './metrics/api-metrics';
import { MetricsAccess, MetricsController } from './metrics/metrics.controller';
import { PolicyVersions } from './policy/policy-versions';
import { DATA_SOURCE, POLICIES, SMTP_PROBE, type SmtpProbe, TEMPORAL_CLIENT, WEBHOOK_SETTINGS } from './infrastructure/tokens';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';
import { webhookSettings } from '../infra/webhooks';
import { OrganisationController } from './organisation/organisation.controller';
import { OrganisationService } from './organisation/organisation.service';
import { PeopleController } from './people/people.controller';
import { PeopleLookup } from './people/people.lookup';
import { PeopleService } from './people/people.service';
import { PolicyController } from './policy/policy.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardService } from './dashboard/dashboard.service';
import { WorkController } from './work/work.controller';
import { WorkService } from './work/work.service';
import { SubmissionsController } from './submissions/submissions.controller';
import { SubmissionsService } from './submissions/submissions.service';

/** What the composition root hands the app; tests hand real ones too, pointed at the test stack. */
export interface AppDeps {
  config: Environment;
  dataSource: DataSource;
  temporal: Client;
  policies: RegionPolicies;
  smtpProbe: SmtpProbe;
}

/** The HTTP API: its controllers, the services pages share with them, and the guards every request passes. */
@Module({})
export class ApiModule {
  static forRoot(deps: AppDeps): DynamicModule {
    return {
      module: ApiModule,
      imports: [rateLimiting(deps.config), CodecModule.forRoot(deps.config)],
      controllers: [
        HealthController, MetricsController, PeopleController, CasesController, EarlyAdviceController, ActionPlansController, SubmissionsController,
        CaseOutcomesController, ClocksController, InboxController, CustodyController, ReviewsController, PolicyController, AuditController,
        CaseRestrictionController, WorkController, DashboardController, OrganisationController, ClinicsController, PanelsController, PanelSchedulesController, ImportsController,
        RepeatSuspectsController, ReportsController, WebhooksController,
      ],
      providers: [
        { provide: DATA_SOURCE, useValue: deps.dataSource },
        { provide: TEMPORAL_CLIENT, useValue: deps.temporal },
        { provide: POLICIES, useValue: deps.policies },
        { provide: SMTP_PROBE, useValue: deps.smtpProbe },
        // The report figures (SQL over the case data) under the regional policy: the reports routes' and page's.
        { provide: ReportFigures, useValue: new ReportFigures(deps.dataSource, deps.policies.region) },
        ReportReader,
        { provide: WEBHOOK_SETTINGS, useValue: webhookSettings(deps.config) },
        { provide: TokenVerifier, useValue: new TokenVerifier(deps.config) },
        ReachResolver,
        { provide: FailedAuthLimiter, useValue: new FailedAuthLimiter({ failuresPerMinute: deps.config.AUTH_FAILURES_PER_MINUTE }) },
        // The API's metrics registry (its HTTP middleware is installed by createApp) and who may scrape it.
        { provide: ApiMetrics, useValue: new ApiMetrics(deps.dataSource) },
        { provide: MetricsAccess, useFactory: (failures: FailedAuthLimiter) => new MetricsAccess(deps.config.METRICS_TOKEN, failures), inject: [FailedAuthLimiter] },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After AuthGuard, so the rate limit counts per person rather than per address.
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        // One filter: the API's error bodies, rendered as pages for page requests.
        { provide: APP_FILTER, useClass: PageErrorFilter },
        OrganisationService,
        PeopleService,
        CasesService,
        CaseCommandsService,
        CaseRestrictionService,
        PeopleLookup,
        AuditService,
        EarlyAdviceService,
        ActionPlansService,
        SubmissionsService,
        CaseOutcomesService,
        ClocksService,
        InboxService,
        CustodyService,
        ReviewsService,
        WorkService,
        DashboardService,
        ClinicsService,
        PanelsService,
        PanelSchedulesService,
        ImportsService,
        RepeatSuspectsReport,
        ReportsService,
        WebhooksService,
        PolicyVersions,
      ],
      exports: [
        ApiMetrics, ReachResolver, DATA_SOURCE, TEMPORAL_CLIENT, POLICIES, FailedAuthLimiter, OrganisationService, PeopleService, PeopleLookup, CasesService, CaseCommandsService, WorkService, DashboardService,
        EarlyAdviceService, ActionPlansService, SubmissionsService, CaseOutcomesService, ClocksService, InboxService, CustodyService, ReviewsService, ClinicsService, PanelsService, PanelSchedulesService, ImportsService,
        ReportReader,
        ReportsService,
      ],
    };
  }
}

/** The application: the API under /api and the web front end's pages at / beside it, calling the same services. */
@Module({})
export class AppModule {
  static forRoot(deps: AppDeps): DynamicModule {
    const api = ApiModule.forRoot(deps);
    return {
      module: AppModule,
      imports: [api, WebModule.forRoot(api, deps.config), RouterModule.register([{ path: 'api', module: ApiModule, children: [CodecModule] }])],
    };
  }
}
