import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { AesGcmPayloadCodec, parsePayloadKeys } from './payload-codec';
import type { Tracing } from './tracing';

/** The one data converter: the API's client and the worker must agree on it, or neither can read the other. */
export function createDataConverter(payloadKeys: string): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(parsePayloadKeys(payloadKeys))] };
}

export interface TemporalSettings {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  PAYLOAD_KEYS: string;
}

/** With tracing on, every workflow start, Update and query carries the caller's trace context in its headers. */
export async function connectTemporalClient(settings: TemporalSettings, tracing?: Tracing): Promise<Client> {
  const connection = await Connection.connect({ address: settings.TEMPORAL_ADDRESS });
  return new Client({
    connection,
    namespace: settings.TEMPORAL_NAMESPACE,
    dataConverter: createDataConverter(settings.PAYLOAD_KEYS),
    ...(tracing ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] } } : {}),
  });
}
