// @ts-expect-error: a plain ESM script without type declarations
import { COMPILE_ONLY, readmeSnippets } from '../../scripts/readme-snippets.js';

interface ReadmeSnippet {
  readonly line: number;
  readonly file: string;
  readonly code: string;
  readonly kind: 'app' | 'feature' | 'script' | 'compile' | 'invalid';
  readonly problem?: string;
}

/**
 * The README's TypeScript snippets are compiled against the packed package and booted by
 * test/package/packed-library.e2e-spec.ts (slow: it installs the package). These checks are the
 * fast half: every snippet is one the packed test knows how to check, and the README shows what
 * an issuer needs to see.
 */
describe("README.md's TypeScript snippets", () => {
  const snippets: ReadmeSnippet[] = readmeSnippets();
  const showing = (pattern: RegExp) => snippets.filter((snippet) => pattern.test(snippet.code)).map((snippet) => snippet.file);

  it('are complete files the packed-package test can compile and, for module set-ups, boot', () => {
    expect(snippets.filter((snippet) => snippet.kind === 'invalid').map(({ line, problem }) => ({ line, problem }))).toEqual([]);
    const files = snippets.map((snippet) => snippet.file);
    expect(new Set(files).size).toBe(files.length);
    for (const snippet of snippets) {
      expect({ line: snippet.line, imports: /^import /m.test(snippet.code) }).toEqual({ line: snippet.line, imports: true });
      // A relative import names another snippet, by the `// name.ts` line it starts with.
      for (const [, target] of snippet.code.matchAll(/from '\.\/([\w.-]+)\.js'/g)) expect(files).toContain(`${target}.ts`);
    }
  });

  it('boot the main set-up, that feature modules are booted in', () => {
    expect(snippets.find((snippet) => snippet.file === 'app.module.ts')?.kind).toBe('app');
  });

  it('show the resolver a class implementing CardholderContactResolver, and callbacks asked for', () => {
    expect(showing(/class \w+ implements CardholderContactResolver/)).toContain('cardholder-directory.ts');
    expect(showing(/callbacks: \{ classic: true/).length).toBeGreaterThan(0);
  });

  it("show the health controller with its imports, TerminusModule imported by the app's module", () => {
    expect(showing(/OtpDeliveryHealthIndicator[\s\S]*@Module\(\{ imports: \[TerminusModule\]/)).toEqual(['health.module.ts']);
    expect(showing(/import \{[^}]*TerminusModule[^}]*\} from '@nestjs\/terminus'/)).toEqual(['health.module.ts']);
  });

  it('show the digitization handler with IdvMethodsService injected and @HttpCode(200)', () => {
    expect(showing(/constructor\(private readonly idvMethods: IdvMethodsService\)[\s\S]*@Post\('requestCardDigitization'\)[\s\S]*@HttpCode\(200\)/)).toEqual(['digitization.module.ts']);
  });

  it("show auth mode 'none' for local HTTP, saying it is for local development only", () => {
    const [local] = showing(/auth: \{ mode: 'none' \}/);
    expect(local).toBe('local-development.module.ts');
    expect(snippets.find((snippet) => snippet.file === local)!.code).toMatch(/never a deployed app/);
  });

  it('the classification refuses fragments, and the compile-only marker only compiles', () => {
    const markdown = [
      '```ts',
      "OtpDeliveryModule.forRoot({ cm: { sender: 'MyBank' } });",
      '```',
      '```ts',
      "import { Module } from '@nestjs/common';",
      '@Module({})',
      'class Hidden {}',
      '```',
      COMPILE_ONLY,
      '```ts',
      "import { Module } from '@nestjs/common';",
      '@Module({})',
      'export class AppModule {}',
      '```',
    ].join('\n');
    expect(readmeSnippets(markdown).map(({ line, kind }: ReadmeSnippet) => ({ line, kind }))).toEqual([
      { line: 1, kind: 'invalid' },
      { line: 4, kind: 'invalid' },
      { line: 10, kind: 'compile' },
    ]);
  });
});
