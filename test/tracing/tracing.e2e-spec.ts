import { context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { IdvMethodsService } from 'nestjs-otp-delivery';
import { classicHeaders, postJson, startCallbackApp, type CallbackHarness } from '../tokenization/support/callback-app.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
const D1_DELIVER = '/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro/otp';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

describe('OpenTelemetry spans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  let harness: CallbackHarness;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    harness = await startCallbackApp();
  });

  afterEach(() => exporter.reset());

  afterAll(async () => {
    await harness.close();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const byName = (name: string): ReadableSpan => {
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
    if (!span) throw new Error(`no span ${name} among ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
    return span;
  };
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
  const idOf = (span: ReadableSpan): SpanContext => span.spanContext();

  it('continues the platform trace: callback, delivery, channel and CM call are one chain of spans', async () => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    const answer = await postJson(
      harness.url + SEND_OTP,
      { issuerCardRefId: 'card-jp-0001', otpValue: '482913', otpMethodId: sms!.id },
      { ...classicHeaders('trace-1'), traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` },
    );
    expect(answer.status).toBe(200);

    const callback = byName('otp.callback sendOTP');
    const deliver = byName('otp.deliver');
    const channel = byName('otp.channel sms');
    const cm = byName('cm messaging');
    for (const span of [callback, deliver, channel, cm]) expect(idOf(span).traceId).toBe(TRACE_ID);
    expect(parentOf(callback)).toBe(PARENT_SPAN_ID);
    expect(parentOf(deliver)).toBe(idOf(callback).spanId);
    expect(parentOf(channel)).toBe(idOf(deliver).spanId);
    expect(parentOf(cm)).toBe(idOf(channel).spanId);
    expect(callback.attributes).toMatchObject({ 'otp.callback': 'sendOTP', 'http.response.status_code': 200 });
    expect(deliver.attributes).toMatchObject({ 'otp.channel': 'sms', 'otp.delivered_by': 'sms' });
    expect(cm.attributes).toMatchObject({ 'cm.api': 'CM Business Messaging', 'http.response.status_code': 200 });
  });

  it('marks refusals with their responseCode and starts a new trace without a traceparent', async () => {
    const answer = await postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-jp-0001', otpValue: '482913', otpMethodId: 'sAAAAAAAAAAAAAAAA' }, classicHeaders('trace-2'));
    expect(answer.status).toBe(400);
    const callback = byName('otp.callback sendOTP');
    expect(parentOf(callback)).toBeUndefined();
    expect(callback.attributes).toMatchObject({ 'http.response.status_code': 400, 'otp.response_code': 501 });
    expect(exporter.getFinishedSpans().map((span) => span.name)).not.toContain('otp.deliver');
  });

  it('traces D1 deliveries too', async () => {
    const answer = await postJson(
      harness.url + D1_DELIVER,
      { otp: { value: '004321', reason: 'CARD-DIGITIZATION' }, deliveryChannel: 'SMS', panSuffix: '9999' },
      { 'content-type': 'application/json', 'x-correlation-id': 'trace_d1_1', traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` },
    );
    expect(answer.status).toBe(204);
    const callback = byName('otp.callback d1DeliverOtp');
    expect(parentOf(callback)).toBe(PARENT_SPAN_ID);
    expect(parentOf(byName('otp.deliver'))).toBe(idOf(callback).spanId);
  });

  it('puts no code, token, phone number, email or PAN digits in any span', async () => {
    const [sms, email] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    await postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-jp-0001', otpValue: '730519', otpMethodId: sms!.id }, classicHeaders('trace-3'));
    await postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-jp-0001', otpValue: '730519', otpMethodId: email!.id }, classicHeaders('trace-4'));
    await postJson(harness.url + D1_DELIVER, { otp: { value: '730519', reason: 'CARD-DIGITIZATION' }, deliveryChannel: 'EMAIL', panSuffix: '9999' }, { 'content-type': 'application/json', 'x-correlation-id': 'trace_d1_2' });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(expect.arrayContaining(['otp.channel sms', 'otp.channel email']));
    const recorded = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, status: span.status, events: span.events })));
    for (const secret of ['730519', harness.sandbox.productToken, '9012345678', 'taro.yamada', '9999']) expect(recorded).not.toContain(secret);
  });
});
