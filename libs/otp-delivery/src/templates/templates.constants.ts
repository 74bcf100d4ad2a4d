/** DI token of the compiled templates (`TemplateCatalog`), derived once from the validated options. */
export const TEMPLATES_OPTIONS = Symbol('TEMPLATES_OPTIONS');
