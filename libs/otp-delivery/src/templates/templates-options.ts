/** SMS and email message templates per locale. */
export class TemplatesOptions {}
