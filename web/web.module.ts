import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { SessionSavedInterceptor } from './common/session-saved.interceptor';
import { type Environment, webSignInProviders } from '../infra/config';
import { OIDC_SIGN_INS, OidcSignIn } from './auth/oidc-sign-in';
import { SignInController } from './auth/sign-in.controller';
import { CasePage } from './pages/cases/case-page';
import { CasesPages } from './pages/cases/cases.page';
import { RegisterCasePage } from './pages/cases/register-case';
import { ClinicPage } from './pages/clinics/clinic-page';
import { ClinicSchedulesPages } from './pages/clinics/clinic-schedules.page';
import { ClinicsPages } from './pages/clinics/clinics.page';
import { DashboardPage } from './pages/dashboard/dashboard.page';
import { MyWorkPage } from './pages/my-work/my-work.page';
import { PanelPage } from './pages/panels/panel-page';
import { PanelsPages } from './pages/panels/panels.page';
import { ImportsPages } from './pages/imports/imports.page';
import { ReportsPages } from './pages/reports/reports.page';
import { WEB_SETTINGS, type WebSettings } from './web-settings';

/**
 * The web front end's pages. Each page controller is as thin as a route: it calls the same service the API route
 * calls (imported from the API module), under the same guard, role rules, validation and audit log.
 */
@Module({})
export class WebModule {
  static forRoot(api: DynamicModule, config: Environment): DynamicModule {
    const redirectUri = `${config.PUBLIC_URL.replace(/\/$/, '')}/sign-in/callback`;
    const oidc = webSignInProviders(config).map((provider) => new OidcSignIn({ ...provider, redirectUri }));
    return {
      module: WebModule,
      imports: [api],
      controllers: [SignInController, MyWorkPage, CasesPages, DashboardPage, ClinicsPages, ClinicSchedulesPages, PanelsPages, ImportsPages, ReportsPages],
      providers: [CasePage, RegisterCasePage, ClinicPage, PanelPage, { provide: APP_INTERCEPTOR, useClass: SessionSavedInterceptor }, { provide: WEB_SETTINGS, useValue: { demoSignIn: config.DEMO_SIGN_IN } satisfies WebSettings }, { provide: OIDC_SIGN_INS, useValue: oidc }],
    };
  }
}
