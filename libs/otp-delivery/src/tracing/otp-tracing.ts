import type * as Otel from '@opentelemetry/api';
import { requireOptionalPackage } from '../common/optional-package.js';

/** What a traced function may add to its span: attributes only, never a code, token or personal data. */
export interface OtpSpan {
  setAttribute(key: string, value: string | number | boolean): void;
}

/** How a span starts. */
export interface OtpSpanOptions {
  readonly attributes?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** `server` for a callback, `client` for a CM call, `internal` otherwise. @default 'internal' */
  readonly kind?: 'server' | 'client' | 'internal';
  /** Incoming request headers: a `traceparent` there becomes the span's parent (W3C trace context). */
  readonly carrier?: Readonly<Record<string, string | string[] | undefined>>;
}

const api = requireOptionalPackage<typeof Otel>('@opentelemetry/api', import.meta.url);
const tracer = api?.trace.getTracer('nestjs-otp-delivery');
const NOT_RECORDING: OtpSpan = { setAttribute: () => undefined };

/**
 * Whether an OpenTelemetry SDK is registered: without one (or without `@opentelemetry/api`, an
 * optional peer) tracing costs a property read per span.
 */
function tracingOn(): boolean {
  const provider = api?.trace.getTracerProvider() as { getDelegate?: () => object } | undefined;
  return provider !== undefined && provider.getDelegate?.().constructor.name !== 'NoopTracerProvider';
}

/**
 * Runs `work` inside a span named `name` when the app registered an OpenTelemetry SDK, as the child
 * of the active span (or of the incoming `traceparent`). The span ends with the work; an error
 * marks it failed with the error's class only (messages may hold personal data).
 */
export function traced<T>(name: string, options: OtpSpanOptions, work: (span: OtpSpan) => Promise<T>): Promise<T> {
  // Not an async function: without an SDK the work's own promise is answered, no extra one.
  if (!api || !tracer || !tracingOn()) {
    try {
      return work(NOT_RECORDING);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
  const parent = options.carrier ? api.propagation.extract(api.context.active(), options.carrier) : api.context.active();
  const kind = options.kind === 'server' ? api.SpanKind.SERVER : options.kind === 'client' ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL;
  const attributes = Object.fromEntries(Object.entries(options.attributes ?? {}).filter(([, value]) => value !== undefined)) as Otel.Attributes;
  return tracer.startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
