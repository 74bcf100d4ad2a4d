import { Inject, Injectable, type MessageEvent, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Subject, Subscription, concat, defer, map, of, type Observable } from 'rxjs';
import type { OtpDeliveryEvent } from 'nestjs-otp-delivery';
import type { CmSandboxMessage, OutboxEmail } from 'nestjs-otp-delivery/testing';
import { FAULT_CHOICES, RECEIPT_REASONS, faultLabel } from './cm-choices.js';
import { findCode } from './code-spotting.js';
import { emailEntry, failureEntry, faultsView, smsEntry, type ConsoleEntry, type FaultsView, type SmsEntry } from './console-entry.js';
import { SANDBOX_CONSOLE_OPTIONS } from './sandbox-console.module-definition.js';
import type { SandboxConsoleCard, SandboxConsoleOptions } from './sandbox-console-options.js';

/** Everything the page needs at once: sent first on every event stream, and at `api/state`. */
export interface ConsoleSnapshot {
  /** Newest first. */
  readonly entries: readonly ConsoleEntry[];
  readonly faults: FaultsView;
  readonly cards: readonly SandboxConsoleCard[];
  readonly faultChoices: readonly { id: string; label: string }[];
  readonly receiptReasons: typeof RECEIPT_REASONS;
}

/** A change after the snapshot. */
export type ConsoleUpdate =
  | { readonly type: 'entry'; readonly entry: ConsoleEntry }
  | { readonly type: 'status'; readonly id: string; readonly status: SmsEntry['status']; readonly statusReason?: string; readonly statusAt: string }
  | { readonly type: 'faults'; readonly faults: FaultsView };

const KNOWN_CODES = 50;
const REQUIRED_OPTIONS = ['cm', 'emailOutbox', 'events', 'callbackBaseUrl', 'statusReportSecret', 'issuerId'] as const;

/**
 * The console's live picture: what the CM sandbox and the email outbox "sent", the delivery
 * status of each SMS from the library's events (`delivered` / `undelivered` by delivery id = CM
 * reference), the failures, and the sandbox's faults. The page gets a snapshot, then updates.
 */
@Injectable()
export class ConsoleFeed implements OnModuleInit, OnModuleDestroy {
  readonly #entries: ConsoleEntry[] = [];
  readonly #smsByReference = new Map<string, { entry: SmsEntry; message: CmSandboxMessage }>();
  readonly #htmlByEmailId = new Map<string, string>();
  readonly #knownCodes: string[] = [];
  readonly #updates = new Subject<ConsoleUpdate>();
  readonly #subscriptions = new Subscription();
  readonly #maxEntries: number;
  #serial = 0;

  constructor(@Inject(SANDBOX_CONSOLE_OPTIONS) private readonly options: SandboxConsoleOptions) {
    const missing = REQUIRED_OPTIONS.filter((key) => !options[key]);
    if (missing.length > 0) throw new Error(`SandboxConsoleModule needs ${missing.join(', ')}`);
    this.#maxEntries = options.maxEntries ?? 200;
  }

  onModuleInit(): void {
    const { cm, emailOutbox, events } = this.options;
    cm.outbox.forEach((message) => this.#addSms(message));
    emailOutbox.messages.forEach((email) => this.#addEmail(email));
    this.#subscriptions.add(cm.messages$.subscribe((message) => this.#addSms(message)));
    this.#subscriptions.add(emailOutbox.messages$.subscribe((email) => this.#addEmail(email)));
    this.#subscriptions.add(events.events$.subscribe((event) => this.#onDeliveryEvent(event)));
    this.#subscriptions.add(cm.faults$.subscribe((state) => this.#updates.next({ type: 'faults', faults: faultsView(state) })));
  }

  /** Ends every open event stream, so the HTTP server can close. */
  onModuleDestroy(): void {
    this.#subscriptions.unsubscribe();
    this.#updates.complete();
  }

  snapshot(): ConsoleSnapshot {
    return {
      entries: [...this.#entries].reverse(),
      faults: faultsView(this.options.cm.faults),
      cards: this.options.cards ?? [],
      faultChoices: FAULT_CHOICES.map((choice) => ({ id: choice.id, label: faultLabel(choice) })),
      receiptReasons: RECEIPT_REASONS,
    };
  }

  /** Server-sent events: `snapshot` first, then `entry`, `status` and `faults` as they happen. */
  stream(): Observable<MessageEvent> {
    return defer(() =>
      concat(
        of<MessageEvent>({ type: 'snapshot', data: this.snapshot() }),
        this.#updates.pipe(map((update): MessageEvent => ({ type: update.type, data: update }))),
      ),
    );
  }

  /** A code the console is about to send, so the message that carries it gets it highlighted. */
  rememberCode(code: string): void {
    this.#knownCodes.unshift(code);
    this.#knownCodes.length = Math.min(this.#knownCodes.length, KNOWN_CODES);
  }

  /** The SMS with this CM reference (as shown, and as CM received it), while the console keeps it. */
  smsByReference(reference: string): { entry: SmsEntry; message: CmSandboxMessage } | undefined {
    return this.#smsByReference.get(reference);
  }

  /** The HTML body of a kept email and the code to mark in it. */
  emailHtml(id: string): { html: string; code?: string } | undefined {
    const html = this.#htmlByEmailId.get(id);
    const entry = this.#entries.find((candidate) => candidate.id === id);
    return html === undefined || entry?.kind !== 'email' ? undefined : { html, code: entry.code };
  }

  #addSms(message: CmSandboxMessage): void {
    const entry = smsEntry(this.#nextId(), message, message.code ?? findCode(message.text, this.#knownCodes));
    if (entry.receipts) this.#smsByReference.set(entry.reference, { entry, message });
    this.#add(entry);
  }

  #addEmail(email: OutboxEmail): void {
    const entry = emailEntry(this.#nextId(), email, findCode(email.text, this.#knownCodes));
    if (email.html !== undefined) this.#htmlByEmailId.set(entry.id, email.html);
    this.#add(entry);
  }

  #onDeliveryEvent(event: OtpDeliveryEvent): void {
    if (event.type === 'failed') return this.#add(failureEntry(this.#nextId(), event));
    if (event.type !== 'delivered' && event.type !== 'undelivered') return;
    const entry = this.#smsByReference.get(event.deliveryId)?.entry;
    if (!entry) return;
    entry.status = event.type;
    entry.statusReason = event.reason;
    entry.statusAt = event.at.toISOString();
    this.#updates.next({ type: 'status', id: entry.id, status: entry.status, statusReason: entry.statusReason, statusAt: entry.statusAt });
  }

  #add(entry: ConsoleEntry): void {
    this.#entries.push(entry);
    while (this.#entries.length > this.#maxEntries) this.#forget(this.#entries.shift()!);
    this.#updates.next({ type: 'entry', entry });
  }

  #forget(entry: ConsoleEntry): void {
    if (entry.kind === 'sms' && this.#smsByReference.get(entry.reference)?.entry === entry) this.#smsByReference.delete(entry.reference);
    if (entry.kind === 'email') this.#htmlByEmailId.delete(entry.id);
  }

  #nextId(): string {
    this.#serial += 1;
    return `m${this.#serial}`;
  }
}
