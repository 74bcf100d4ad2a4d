// @ts-check
/**
 * The sandbox console's page: a live list of what the sample app "sent" (server-sent events from
 * `api/events`), CM.com receipts and faults, and a step-up run from a form. Plain DOM, no build
 * step. Every value from the server is written as text, never as HTML; an email's HTML is shown
 * by the server's sandboxed frame only.
 */

/**
 * @typedef {{ kind: 'sms', id: string, at: string, api: string, channel: string, reference: string, from: string, to: string,
 *   text: string, code?: string, encoding: string, parts: number, receipts: boolean,
 *   status: 'accepted' | 'delivered' | 'undelivered', statusReason?: string, statusAt?: string }} SmsEntry
 * @typedef {{ kind: 'email', id: string, at: string, from: string, to: string[], subject: string, text: string, code?: string, hasHtml: boolean }} EmailEntry
 * @typedef {{ kind: 'failure', id: string, at: string, deliveryId: string, channel: string, to: string, reason?: string, correlationId?: string }} FailureEntry
 * @typedef {SmsEntry | EmailEntry | FailureEntry} Entry
 * @typedef {{ failNext: number[], dropNext: number, latencyMs: number }} Faults
 * @typedef {{ errorCode: number, description: string }} ReceiptReason
 * @typedef {{ entries: Entry[], faults: Faults, cards: { issuerCardRefId: string, label: string }[],
 *   faultChoices: { id: string, label: string }[], receiptReasons: ReceiptReason[] }} Snapshot
 * @typedef {{ label: string, method: string, path: string, requestHeaders: Record<string, string>, requestBody: unknown,
 *   status?: number, responseBody?: unknown, error?: string, durationMs: number, at: string }} Exchange
 * @typedef {{ id: string, type: string, value: string }} IdvMethod
 */

'use strict';

const MAX_ENTRIES = 200;
const STATUS_TEXT = { accepted: 'Accepted by CM', delivered: 'Delivered', undelivered: 'Undelivered' };
const base = document.body.dataset.base ?? '';

/** @param {string} path */
const apiUrl = (path) => `${base}/api/${path}`;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function element(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is missing`);
  return found;
}

const entriesList = element('entries', HTMLOListElement);
const noEntries = element('no-entries', HTMLParagraphElement);
const exchangesList = element('exchanges', HTMLOListElement);
const announcer = element('announcer', HTMLDivElement);
const connection = element('connection', HTMLParagraphElement);
const actionError = element('action-error', HTMLParagraphElement);
const faultState = element('fault-state', HTMLParagraphElement);
const digitizationForm = element('digitization-form', HTMLFormElement);
const sendForm = element('send-form', HTMLFormElement);
const cardSelect = element('card', HTMLSelectElement);
const walletSelect = element('wallet', HTMLSelectElement);
const methodsBox = element('methods', HTMLDivElement);
const otpValueInput = element('otp-value', HTMLInputElement);
const failKind = element('fail-kind', HTMLSelectElement);

/** @type {Map<string, HTMLLIElement>} */
const entryItems = new Map();
/** @type {ReceiptReason[]} */
let receiptReasons = [];
/** The step-up in progress: what the second step sends again. */
let flow = /** @type {{ correlationId: string, issuerCardRefId: string, walletProviderId: string } | undefined} */ (undefined);

// ---- live updates -------------------------------------------------------------------------

function connect() {
  const source = new EventSource(apiUrl('events'));
  source.addEventListener('open', () => setConnection('live', 'Live: new messages and status changes appear as they happen.'));
  source.addEventListener('error', () => setConnection('offline', 'Disconnected from the app: reconnecting…'));
  source.addEventListener('snapshot', (event) => applySnapshot(JSON.parse(event.data)));
  source.addEventListener('entry', (event) => {
    /** @type {{ entry: Entry }} */
    const { entry } = JSON.parse(event.data);
    addEntry(entry, 'start');
    announce(describeNew(entry));
  });
  source.addEventListener('status', (event) => {
    /** @type {{ id: string, status: SmsEntry['status'], statusReason?: string }} */
    const update = JSON.parse(event.data);
    const item = entryItems.get(update.id);
    if (!item) return;
    showStatus(item, update.status, update.statusReason);
    announce(`SMS to ${item.dataset.to}: ${statusText(update.status, update.statusReason)}`);
  });
  source.addEventListener('faults', (event) => showFaults(JSON.parse(event.data).faults));
}

/**
 * @param {string} state
 * @param {string} text
 */
function setConnection(state, text) {
  connection.dataset.state = state;
  connection.textContent = text;
}

/** @param {Snapshot} snapshot */
function applySnapshot(snapshot) {
  receiptReasons = snapshot.receiptReasons;
  if (cardSelect.options.length === 0) fillOptions(cardSelect, snapshot.cards.map((card) => [card.issuerCardRefId, card.label]));
  if (failKind.options.length === 0) fillOptions(failKind, snapshot.faultChoices.map((choice) => [choice.id, choice.label]));
  entriesList.replaceChildren();
  entryItems.clear();
  snapshot.entries.forEach((entry) => addEntry(entry, 'end'));
  showFaults(snapshot.faults);
}

/** @param {string} text */
function announce(text) {
  announcer.textContent = text;
}

// ---- messages -----------------------------------------------------------------------------

/**
 * @param {Entry} entry
 * @param {'start' | 'end'} where
 */
function addEntry(entry, where) {
  const item = entry.kind === 'sms' ? smsItem(entry) : entry.kind === 'email' ? emailItem(entry) : failureItem(entry);
  item.dataset.id = entry.id;
  entryItems.set(entry.id, item);
  if (where === 'start') entriesList.prepend(item);
  else entriesList.append(item);
  while (entriesList.children.length > MAX_ENTRIES) {
    const last = /** @type {HTMLLIElement} */ (entriesList.lastElementChild);
    entryItems.delete(last.dataset.id ?? '');
    last.remove();
  }
  noEntries.hidden = entriesList.children.length > 0;
}

/** @param {SmsEntry} entry */
function smsItem(entry) {
  const item = fromTemplate('sms-template');
  item.dataset.to = entry.to;
  item.dataset.reference = entry.reference;
  setText(item, 'to', entry.to);
  withCode(field(item, 'text'), entry.text, entry.code);
  setTime(item, entry.at);
  setText(item, 'from', entry.from);
  setText(item, 'encoding', entry.encoding);
  setText(item, 'parts', String(entry.parts));
  setText(item, 'reference', entry.reference || '(none)');
  showStatus(item, entry.status, entry.statusReason);
  const receipts = /** @type {HTMLFormElement} */ (field(item, 'receipts'));
  if (!entry.receipts) {
    receipts.remove();
    return item;
  }
  // Every SMS has the same buttons: the group says which SMS they are about.
  receipts.setAttribute('role', 'group');
  receipts.setAttribute('aria-label', `Simulate CM's status report for the SMS to ${entry.to} sent at ${new Date(entry.at).toLocaleTimeString()}`);
  const reasons = /** @type {HTMLSelectElement} */ (field(item, 'reason'));
  fillOptions(reasons, receiptReasons.map((reason) => [String(reason.errorCode), `${reason.errorCode}: ${reason.description}`]));
  receipts.addEventListener('click', (event) => {
    const button = event.target instanceof HTMLButtonElement ? event.target : undefined;
    const status = button?.dataset.action;
    if (!button || (status !== 'delivered' && status !== 'undelivered')) return;
    const body = status === 'undelivered' ? { status, errorCode: Number(reasons.value) } : { status };
    void act(receipts, async () => {
      const { exchange } = await postJson(`messages/${encodeURIComponent(entry.reference)}/receipts`, body);
      addExchange(exchange);
    });
  });
  return item;
}

/** @param {EmailEntry} entry */
function emailItem(entry) {
  const item = fromTemplate('email-template');
  item.dataset.to = entry.to.join(', ');
  setText(item, 'to', item.dataset.to);
  withCode(field(item, 'subject'), entry.subject, entry.code);
  withCode(field(item, 'text'), entry.text, entry.code);
  setTime(item, entry.at);
  setText(item, 'from', entry.from);
  const frame = /** @type {HTMLIFrameElement} */ (field(item, 'html'));
  if (entry.hasHtml) {
    frame.title = `HTML part of the email "${entry.subject}"`;
    frame.src = apiUrl(`emails/${encodeURIComponent(entry.id)}/html`);
  } else {
    frame.remove();
  }
  return item;
}

/** @param {FailureEntry} entry */
function failureItem(entry) {
  const item = fromTemplate('failure-template');
  item.dataset.to = entry.to;
  setText(item, 'channel', entry.channel.toUpperCase());
  setText(item, 'to', entry.to);
  setText(item, 'reason', entry.reason ?? 'unknown');
  setTime(item, entry.at);
  setText(item, 'deliveryId', entry.deliveryId);
  setText(item, 'correlationId', entry.correlationId ?? '(none)');
  return item;
}

/**
 * @param {HTMLElement} item
 * @param {SmsEntry['status']} status
 * @param {string | undefined} reason
 */
function showStatus(item, status, reason) {
  const shown = field(item, 'status');
  shown.dataset.status = status;
  shown.textContent = statusText(status, reason);
}

/**
 * @param {SmsEntry['status']} status
 * @param {string | undefined} reason
 */
function statusText(status, reason) {
  return reason ? `${STATUS_TEXT[status]} (${reason})` : STATUS_TEXT[status];
}

/** @param {Entry} entry */
function describeNew(entry) {
  if (entry.kind === 'sms') return `New SMS to ${entry.to}${entry.code ? `, code ${entry.code}` : ''}`;
  if (entry.kind === 'email') return `New email to ${entry.to.join(', ')}: ${entry.subject}`;
  return `${entry.channel.toUpperCase()} to ${entry.to} not sent: ${entry.reason ?? 'unknown reason'}`;
}

/**
 * Writes `text` into `target` with each occurrence of `code` in a `<mark>`.
 * @param {HTMLElement} target
 * @param {string} text
 * @param {string | undefined} code
 */
function withCode(target, text, code) {
  target.replaceChildren();
  const pieces = code ? text.split(code) : [text];
  pieces.forEach((piece, index) => {
    if (index > 0) {
      const mark = document.createElement('mark');
      mark.className = 'code';
      mark.textContent = code ?? '';
      target.append(mark);
    }
    target.append(piece);
  });
}

// ---- try it -------------------------------------------------------------------------------

digitizationForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void act(digitizationForm, async () => {
    const issuerCardRefId = cardSelect.value;
    const walletProviderId = walletSelect.value;
    /** @type {{ correlationId: string, exchange: Exchange, methods: IdvMethod[] }} */
    const step = await postJson('try/digitization', { issuerCardRefId, walletProviderId });
    addExchange(step.exchange);
    flow = { correlationId: step.correlationId, issuerCardRefId, walletProviderId };
    methodsBox.replaceChildren(...step.methods.map(methodChoice));
    sendForm.hidden = step.methods.length === 0;
    const first = methodsBox.querySelector('input');
    if (first) first.focus();
    else announce('No method offered: see the answer in Requests and answers');
  });
});

/**
 * @param {IdvMethod} method
 * @param {number} index
 */
function methodChoice(method, index) {
  const label = document.createElement('label');
  label.className = 'choice';
  const input = document.createElement('input');
  input.type = 'radio';
  input.name = 'otpMethodId';
  input.value = method.id;
  input.checked = index === 0;
  label.append(input, ` ${method.type} ${method.value}`);
  return label;
}

sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const method = /** @type {HTMLInputElement | null} */ (sendForm.querySelector('input[name="otpMethodId"]:checked'));
  if (!flow || !method) return;
  const body = { ...flow, otpMethodId: method.value, otpValue: otpValueInput.value.trim() || undefined };
  void act(sendForm, async () => {
    /** @type {{ exchange: Exchange, otpValue: string }} */
    const sent = await postJson('try/send-otp', body);
    addExchange(sent.exchange);
  });
});

/** @param {Exchange} exchange */
function addExchange(exchange) {
  const item = fromTemplate('exchange-template');
  const code = responseCodeOf(exchange.responseBody);
  const outcome = exchange.status === undefined ? `no answer (${exchange.error})` : `${exchange.status}${code ? `, responseCode ${code}` : ''}`;
  item.dataset.status = String(exchange.status ?? 'none');
  setText(item, 'summary', `${exchange.label}: ${exchange.method} ${exchange.path} → ${outcome} in ${exchange.durationMs} ms`);
  const headers = Object.entries(exchange.requestHeaders).map(([name, value]) => `${name}: ${value}`);
  setText(item, 'request', [`${exchange.method} ${exchange.path}`, ...headers, '', pretty(exchange.requestBody)].join('\n'));
  setText(item, 'response', exchange.status === undefined ? String(exchange.error) : [`HTTP ${exchange.status}`, '', pretty(exchange.responseBody)].join('\n'));
  exchangesList.prepend(item);
  announce(`${exchange.label} answered ${outcome}`);
}

/** @param {unknown} body */
function responseCodeOf(body) {
  return typeof body === 'object' && body !== null && 'responseCode' in body ? String(body.responseCode) : undefined;
}

/** @param {unknown} value */
function pretty(value) {
  return value === undefined ? '(empty)' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

// ---- faults -------------------------------------------------------------------------------

/**
 * @param {string} formId
 * @param {string} path
 * @param {(data: FormData) => unknown} body
 */
function faultForm(formId, path, body) {
  const form = element(formId, HTMLFormElement);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(form, async () => showFaults(await postJson(path, body(new FormData(form)))));
  });
}

faultForm('fail-form', 'faults/fail-next', (data) => ({ count: Number(data.get('count')), fault: data.get('fault') }));
faultForm('latency-form', 'faults/latency', (data) => ({ ms: Number(data.get('ms')) }));
faultForm('drop-form', 'faults/drop-next', (data) => ({ count: Number(data.get('count')) }));
element('clear-faults', HTMLButtonElement).addEventListener('click', (event) => {
  const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
  void act(button, async () => showFaults(await postJson('faults', undefined, 'DELETE')));
});

/** @param {Faults} faults */
function showFaults(faults) {
  const parts = [];
  if (faults.failNext.length > 0) parts.push(`The next ${faults.failNext.length} request(s) fail (HTTP ${faults.failNext.join(', ')}).`);
  if (faults.dropNext > 0) parts.push(`The next ${faults.dropNext} connection(s) are dropped.`);
  if (faults.latencyMs > 0) parts.push(`Every answer waits ${faults.latencyMs} ms.`);
  faultState.textContent = parts.length > 0 ? parts.join(' ') : 'No fault injected.';
  faultState.dataset.active = String(parts.length > 0);
}

// ---- helpers ------------------------------------------------------------------------------

/**
 * Runs an action with its controls disabled, and shows its error.
 * @param {HTMLFormElement | HTMLButtonElement} control
 * @param {() => Promise<void>} action
 */
async function act(control, action) {
  const buttons = control instanceof HTMLButtonElement ? [control] : [...control.querySelectorAll('button')];
  buttons.forEach((button) => (button.disabled = true));
  actionError.hidden = true;
  try {
    await action();
  } catch (error) {
    actionError.textContent = error instanceof Error ? error.message : String(error);
    actionError.hidden = false;
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
}

/**
 * @param {string} path
 * @param {unknown} body
 * @param {string} [method]
 */
async function postJson(path, body, method = 'POST') {
  const response = await fetch(apiUrl(path), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = data && typeof data === 'object' && 'message' in data ? data.message : undefined;
    throw new Error(`The console refused it (HTTP ${response.status}): ${Array.isArray(message) ? message.join('; ') : (message ?? 'no detail')}`);
  }
  return data;
}

/** @param {string} id */
function fromTemplate(id) {
  const template = /** @type {HTMLTemplateElement} */ (document.getElementById(id));
  return /** @type {HTMLLIElement} */ (/** @type {DocumentFragment} */ (template.content.cloneNode(true)).firstElementChild);
}

/**
 * @param {HTMLElement} item
 * @param {string} name
 * @returns {HTMLElement}
 */
function field(item, name) {
  const found = item.querySelector(`[data-field="${name}"]`);
  if (!(found instanceof HTMLElement)) throw new Error(`field ${name} is missing`);
  return found;
}

/**
 * @param {HTMLElement} item
 * @param {string} name
 * @param {string} text
 */
function setText(item, name, text) {
  field(item, name).textContent = text;
}

/**
 * @param {HTMLElement} item
 * @param {string} at
 */
function setTime(item, at) {
  const time = /** @type {HTMLTimeElement} */ (field(item, 'at'));
  time.dateTime = at;
  time.textContent = new Date(at).toLocaleTimeString();
}

/**
 * @param {HTMLSelectElement} select
 * @param {[string, string][]} options
 */
function fillOptions(select, options) {
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
}

connect();
