import type { FastifyPluginCallback } from 'fastify';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * Optional OpenTelemetry tracing (OTEL_TRACING=true): one span per request and per fastify hook
 * and handler, from @fastify/otel, exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT
 * (default http://localhost:4318) or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; the service is named
 * by OTEL_SERVICE_NAME. Loaded only when switched on: nothing of it runs otherwise.
 *
 * `url.path` is recorded without its query string, and exceptions are not recorded: a search by name or ID number must not
 * leave personal data in a trace backend.
 */
export interface Tracing {
  plugin: FastifyPluginCallback;
  /** Flush spans still buffered, then stop exporting. */
  shutdown(): Promise<void>;
}

export async function startTracing(options: { exporter?: SpanExporter; serviceName?: string } = {}): Promise<Tracing> {
  const { NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
  const { FastifyOtelInstrumentation } = await import('@fastify/otel');
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter());
  // The SDK's default resource names the service from OTEL_SERVICE_NAME.
  process.env.OTEL_SERVICE_NAME ??= options.serviceName ?? 'social-work-stations';
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  // Registers the context manager too, so hook and handler spans nest under the request span.
  provider.register();
  const instrumentation = new FastifyOtelInstrumentation({
    // An exception's message may quote personal data; the status code says enough.
    recordExceptions: false,
    requestHook: (span, request) => span.setAttribute('url.path', request.url.split('?')[0] ?? request.url),
  });
  instrumentation.setTracerProvider(provider);
  return {
    plugin: instrumentation.plugin(),
    shutdown: () => provider.shutdown(),
  };
}
