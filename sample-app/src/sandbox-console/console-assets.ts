import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';

/**
 * The page, its script and its style sheet: plain files in `static/` (copied next to the build by
 * `npm run build:app`), read once at boot. No framework, no CDN: the console works offline.
 */
@Injectable()
export class ConsoleAssets {
  readonly #page = read('index.html');
  readonly script = read('console.js');
  readonly style = read('console.css');

  /** The page, its links made absolute under `base` (the path it was asked at), so a global prefix works. */
  page(base: string): string {
    return this.#page.replaceAll('{{base}}', escapeAttribute(base));
  }
}

function read(name: string): string {
  return readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8');
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
