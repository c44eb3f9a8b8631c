import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Environment } from '../infra/config';
import type { PolicySnapshot } from '../workflows/contracts';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { ApiErrorFilter } from './common/error.filter';
import { HealthController } from './health/health.controller';
import { DATA_SOURCE, POLICY, SMTP_PROBE, type SmtpProbe, TEMPORAL_CLIENT } from './infrastructure/tokens';
import { PeopleController } from './people/people.controller';
import { PeopleService } from './people/people.service';
import { PolicyController } from './policy/policy.controller';

/** What the composition root hands the app; tests hand real ones too, pointed at the test stack. */
export interface AppDeps {
  config: Environment;
  dataSource: DataSource;
  temporal: Client;
  policy: PolicySnapshot;
  smtpProbe: SmtpProbe;
}

@Module({})
export class AppModule {
  static forRoot(deps: AppDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, PeopleController, CasesController, PolicyController],
      providers: [
        { provide: DATA_SOURCE, useValue: deps.dataSource },
        { provide: TEMPORAL_CLIENT, useValue: deps.temporal },
        { provide: POLICY, useValue: deps.policy },
        { provide: SMTP_PROBE, useValue: deps.smtpProbe },
        { provide: TokenVerifier, useValue: new TokenVerifier(deps.config) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        PeopleService,
        CasesService,
      ],
    };
  }
}
