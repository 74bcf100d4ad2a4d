// Runs in the throwaway issuer app, next to the README's snippets compiled by tsc against the packed
// package (see scripts/readme-snippets.js for the kinds). Boots each app snippet alone, each feature
// module inside the README's own AppModule, and runs each script; prints one JSON line of results.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Module, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

interface Snippet {
  readonly line: number;
  readonly file: string;
  readonly kind: 'app' | 'feature' | 'script' | 'compile';
}

const MODULE_KEYS = ['imports', 'controllers', 'providers', 'exports'];
const isModule = (value: unknown): value is Type => typeof value === 'function' && MODULE_KEYS.some((key) => Reflect.hasOwnMetadata(key, value));
const load = (file: string): Promise<Record<string, unknown>> => import(`./snippets/${file.replace(/\.ts$/, '.js')}`);

async function bootAndClose(root: Type): Promise<void> {
  const app: INestApplicationContext = await NestFactory.create(root, { logger: false, abortOnError: false });
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

async function run(snippet: Snippet): Promise<void> {
  const exports = await load(snippet.file); // a script runs here
  if (snippet.kind === 'app') return bootAndClose(exports.AppModule as Type);
  if (snippet.kind === 'feature') {
    const { AppModule } = await load('app.module.ts');
    const features = Object.values(exports).filter(isModule);
    if (features.length === 0) throw new Error('exports no module');
    @Module({ imports: [AppModule as Type, ...features] })
    class SnippetRoot {}
    return bootAndClose(SnippetRoot);
  }
}

const snippets: Snippet[] = JSON.parse(readFileSync(new URL('./snippets/manifest.json', import.meta.url), 'utf8'));
const results: { line: number; file: string; kind: string; error?: string }[] = [];
for (const snippet of snippets.filter((candidate) => candidate.kind !== 'compile')) {
  try {
    await run(snippet);
    results.push({ line: snippet.line, file: snippet.file, kind: snippet.kind });
  } catch (error) {
    results.push({ line: snippet.line, file: snippet.file, kind: snippet.kind, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}
console.log(JSON.stringify({ results }));
// A snippet that leaked a handle must not hang the test: the results are out.
process.exit(0);
