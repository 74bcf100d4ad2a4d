export { EmailOutbox, type EmailOutboxOptions, type OutboxEmail } from './email-outbox.js';
