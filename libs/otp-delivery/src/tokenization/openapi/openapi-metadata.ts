import { loadSwagger, type SwaggerExports } from './load-swagger.js';

// When the library's OpenAPI metadata is applied. `@nestjs/swagger` is an optional peer, and loading
// it costs about 4 MiB of heap for the life of the process (BENCHMARKS.md, "Memory"), so the library's
// decorators (swagger-decorators.ts) do not load it: each use is recorded where it is written and
// applied, in the order written, by `applyOtpDeliveryOpenApi()`, which the module calls when it is
// set up unless `openApi: 'on-demand'`. Applied, they are swagger's own decorators: the document is
// what it always was. With swagger not installed, they do nothing.
// (No swagger type in this file's exported signatures: the root entry's declarations must not need
// `@nestjs/swagger`.)

/** One decorator as written: which, with what, and on what. */
interface Decoration {
  readonly name: string;
  readonly args: readonly unknown[];
  readonly target: object;
  readonly key?: string | symbol;
  readonly descriptor?: PropertyDescriptor;
}

/** The decorations written before swagger was looked for, in the order written. */
const pending: Decoration[] = [];
/** `@nestjs/swagger` once looked for: its exports, or `null` when it is not installed. */
let swagger: SwaggerExports | null | undefined;

/**
 * Applies the OpenAPI metadata of the library's callback controllers and bodies (swagger's
 * decorators, as written on them), loading `@nestjs/swagger`; decorators evaluated later apply at
 * once. The module calls it when it is set up; with `openApi: 'on-demand'` the app calls it, before
 * `SwaggerModule.createDocument`, when it first builds its document. Safe to call more than once.
 *
 * @returns whether `@nestjs/swagger` is installed (without it, there is no metadata to apply).
 * @example
 * applyOtpDeliveryOpenApi();
 * const document = SwaggerModule.createDocument(app, config);
 */
export function applyOtpDeliveryOpenApi(): boolean {
  if (swagger === undefined) {
    swagger = loadSwagger() ?? null;
    const written = pending.splice(0);
    if (swagger) for (const decoration of written) apply(swagger, decoration);
  }
  return swagger !== null;
}

/** @internal Stands in for swagger's decorator factory `name`: records each use, or applies it once swagger was looked for. */
export function deferredDecorator(name: keyof SwaggerExports & `Api${string}`): (...args: unknown[]) => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => void {
  return (...args) =>
    (target, key, descriptor) => {
      const decoration = { name, args, target, key, descriptor };
      if (swagger === undefined) pending.push(decoration);
      else if (swagger) apply(swagger, decoration);
    };
}

function apply(exports: SwaggerExports, { name, args, target, key, descriptor }: Decoration): void {
  const factory = exports[name as keyof SwaggerExports] as (...factoryArgs: readonly unknown[]) => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => unknown;
  factory(...args)(target, key, descriptor);
}
