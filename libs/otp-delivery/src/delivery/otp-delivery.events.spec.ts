import { Subject } from 'rxjs';
import { OtpDeliveryEvents } from './otp-delivery.events.js';
import type { OtpDeliveryEvent } from './otp-delivery-event.interface.js';
import type { CmDeliveryReceipt } from '../cm/cm-delivery-receipt.js';

describe('OtpDeliveryEvents', () => {
  /** Events with a status-report stream; `report(id)` says `id` was delivered. */
  function setup() {
    const events = new OtpDeliveryEvents();
    const reports = new Subject<CmDeliveryReceipt>();
    events.connectStatusReports(reports);
    const seen: OtpDeliveryEvent[] = [];
    events.events$.subscribe((event) => seen.push(event));
    const report = (reference: string) => {
      reports.next({ reference, status: 'delivered', destinationMasked: '********5678', receivedAt: new Date() });
      return seen.at(-1)!;
    };
    const requested = (deliveryId: string, channel = 'email') =>
      events.emit({ type: 'requested', deliveryId, channel, destinationMasked: 'ta***@example.jp', correlationId: `corr-${deliveryId}`, at: new Date() });
    return { events, report, requested };
  }

  it('names the channel and correlation id of the last 10,000 deliveries in their status reports, and forgets older ones', () => {
    const { events, report, requested } = setup();
    for (let index = 0; index < 10_001; index += 1) requested(`d${index}`);
    // d0 was the oldest of 10,001: forgotten (a report about it still becomes an event, without its request's details).
    expect(report('d0')).toMatchObject({ type: 'delivered', deliveryId: 'd0', channel: 'sms', correlationId: undefined });
    expect(report('d1')).toMatchObject({ type: 'delivered', deliveryId: 'd1', channel: 'email', correlationId: 'corr-d1' });
    expect(report('d10000')).toMatchObject({ channel: 'email', correlationId: 'corr-d10000' });
    // The ring goes round: 10,000 more forget every one of those but the newest.
    for (let index = 10_001; index < 20_001; index += 1) requested(`d${index}`);
    expect(report('d10000')).toMatchObject({ correlationId: undefined });
    expect(report('d10001')).toMatchObject({ correlationId: 'corr-d10001' });
    events.onApplicationShutdown();
  });

  it('keeps each delivery its own channel, and a delivery id requested again keeps its newest details for a whole round', () => {
    const { events, report, requested } = setup();
    requested('again', 'sms');
    requested('mail', 'email');
    requested('again', 'voice');
    expect(report('mail')).toMatchObject({ channel: 'email', correlationId: 'corr-mail' });
    // 9,998 more reuse the first slot of 'again' (and forget nothing of it), the next reuses the
    // slot of 'mail', the one after that its newest slot.
    for (let index = 0; index < 9_998; index += 1) requested(`d${index}`);
    expect(report('again')).toMatchObject({ channel: 'voice', correlationId: 'corr-again' });
    requested('next');
    expect(report('mail')).toMatchObject({ channel: 'sms', correlationId: undefined });
    expect(report('again')).toMatchObject({ channel: 'voice', correlationId: 'corr-again' });
    requested('last');
    expect(report('again')).toMatchObject({ channel: 'sms', correlationId: undefined });
    events.onApplicationShutdown();
  });
});
