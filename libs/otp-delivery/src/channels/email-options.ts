/** The built-in email channel: SMTP transport, sender addresses. */
export class EmailOptions {}
