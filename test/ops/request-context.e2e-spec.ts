import type { IncomingMessage, ServerResponse } from 'node:http';
import { CardholderContactResolver, IdvMethodsService, OtpRequestContext, type CardholderContact } from 'nestjs-otp-delivery';
import { JsonFileCardholderResolver } from '../../sample-app/src/cardholders/json-file-cardholder.resolver.js';
import { CARDHOLDERS_FILE, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from '../tokenization/support/callback-app.js';

/** The sample cardholders, recording the request context the resolver runs in. */
class ContextRecordingResolver implements CardholderContactResolver {
  readonly seen: (string | undefined)[] = [];
  readonly #cards = JsonFileCardholderResolver.fromFile(CARDHOLDERS_FILE);

  resolveByCard(issuerCardRefId: string): Promise<CardholderContact | null> {
    this.seen.push(OtpRequestContext.correlationId());
    return this.#cards.resolveByCard(issuerCardRefId);
  }

  resolveByConsumer(consumerId: string, cardId?: string): Promise<CardholderContact | null> {
    this.seen.push(OtpRequestContext.correlationId());
    return this.#cards.resolveByConsumer(consumerId, cardId);
  }
}

/**
 * The module names a callback's correlation id in its own lines without an AsyncLocalStorage (one
 * costs every request of a Node 20 process about a sixth of its throughput), and leaves the request
 * context to the app: none unless the app runs one, and then the app's is what its code sees.
 */
describe('the request context of a callback', () => {
  /** One sendOTP; `resolver.seen` holds what the resolver saw while serving it, nothing else. */
  async function sendOtp(harness: CallbackHarness, resolver: ContextRecordingResolver, correlationId: string) {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    resolver.seen.length = 0;
    return postJson(
      `${harness.url}/issuer/igwapi/v2.0/sendOTP`,
      { issuerCardRefId: 'card-jp-0001', otpValue: '604211', otpMethodId: sms!.id, walletProviderId: 'APPLE_PAY' },
      classicHeaders(correlationId),
    );
  }

  it('is not set by the module, yet every line it logs for the request names the correlation id', async () => {
    const resolver = new ContextRecordingResolver();
    const logs: string[] = [];
    const harness = await startCallbackApp({ logs, extraProviders: [{ provide: CardholderContactResolver, useValue: resolver }] });
    try {
      logs.length = 0;
      expect(await sendOtp(harness, resolver, 'corr-ctx-1')).toEqual({ status: 200, body: {} });
      expect(resolver.seen).toEqual([undefined]);
      const sent = logs.find((line) => line.includes('OTP sent'));
      expect(sent).toContain('"correlationId":"corr-ctx-1"');
    } finally {
      await harness.close();
    }
  });

  it("is the app's own when the app runs one around the request", async () => {
    const resolver = new ContextRecordingResolver();
    const harness = await startCallbackApp({
      extraProviders: [{ provide: CardholderContactResolver, useValue: resolver }],
      configure: (app) =>
        app.use((request: IncomingMessage, _response: ServerResponse, next: () => void) => {
          OtpRequestContext.run(`app-${String(request.headers['x-correlation-id'])}`, next);
        }),
    });
    try {
      expect(await sendOtp(harness, resolver, 'corr-ctx-2')).toEqual({ status: 200, body: {} });
      expect(resolver.seen).toEqual(['app-corr-ctx-2']);
    } finally {
      await harness.close();
    }
  });
});
