import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Environment } from '../../infra/config';
import { AesGcmPayloadCodec, parsePayloadKeys } from '../../infra/payload-codec';
import { CodecController, PAYLOAD_CODEC } from './codec.controller';

/**
 * CORS for the codec paths only, and only for the configured Temporal Web UI origin: the UI calls the codec from the
 * browser, with a preflight that carries no token. Every other origin, and every other path, gets no CORS grant.
 */
export function temporalUiCors(allowedOrigin: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.vary('Origin');
    if (!allowedOrigin || req.headers.origin !== allowedOrigin) return next();
    res.setHeader('Access-Control-Allow-Origin', allowedOrigin);
    // helmet's same-origin resource policy would otherwise stop the UI reading the answer.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

const CODEC_SETTINGS = Symbol('CODEC_SETTINGS');

interface CodecSettings { uiOrigin?: string }

@Module({})
export class CodecModule implements NestModule {
  constructor(@Inject(CODEC_SETTINGS) private readonly settings: CodecSettings) {}

  static forRoot(config: Pick<Environment, 'PAYLOAD_KEYS' | 'TEMPORAL_UI_ORIGIN'>): DynamicModule {
    return {
      module: CodecModule,
      controllers: [CodecController],
      providers: [
        { provide: PAYLOAD_CODEC, useValue: new AesGcmPayloadCodec(parsePayloadKeys(config.PAYLOAD_KEYS)) },
        { provide: CODEC_SETTINGS, useValue: { uiOrigin: config.TEMPORAL_UI_ORIGIN } satisfies CodecSettings },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(temporalUiCors(this.settings.uiOrigin)).forRoutes({ path: 'api/codec/*path', method: RequestMethod.ALL });
  }
}
