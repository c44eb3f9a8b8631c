import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { apiOnly } from '../web/setup/pages-only';
import { setUpWeb } from '../web/setup/web-app';
import { AppModule, type AppDeps } from './app.module';
import { createValidationPipe } from './common/validation';
import { NestPinoLogger } from './common/nest-logger';
import { ApiMetrics } from './metrics/api-metrics';

/**
 * Builds the HTTP application (not listening yet): the API under /api (validation, security headers, OpenAPI at
 * /api/docs) and the web front end's pages at / beside it, served by the same process and the same services.
 */
export async function createApp(deps: AppDeps): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps), {
    logger: new NestPinoLogger(deps.config.LOG_LEVEL),
    bodyParser: false,
  });
  // First: every request (pages, API, refusals, unknown paths) is timed and traced by its route template.
  app.use(app.get(ApiMetrics).middleware());
  app.useBodyParser('json', { limit: '256kb' });
  // Pages get their own headers (a CSP with a per-response nonce) from the web set-up.
  app.use(apiOnly(helmet()));
  const closeWeb = setUpWeb(app, deps);
  app.getHttpServer().once('close', closeWeb);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Pre-charge orchestrator API')
    .setDescription('Police and CPS pre-charge pipeline for RASSO cases: registration, Early Advice, action plans, charging decisions, deadlines and escalations.')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build());
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
