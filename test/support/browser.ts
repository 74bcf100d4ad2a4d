import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's `chromium` package. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium on a machine with a closed network: without the background-networking,
 * component-update and sync switches it keeps opening connections to Google that are refused.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Chromium for one suite: a fresh context on an empty profile, and how to let go of it. */
export interface TestBrowser {
  readonly context: BrowserContext;
  /** Closes Chromium and removes its profile. */
  close(): Promise<void>;
}

/** Why Chromium could not be had, for the loud warning. */
export let browserUnavailableReason = '';

/**
 * Makes sure `/usr/bin/chromium` exists: when it is missing and we run as root with apt-get (as
 * CI does), installs Debian's `chromium` (after an `apt-get update` when the first try fails).
 * Synchronous on purpose: Jest registers tests synchronously, and whether the browser suite can
 * run must be known then. Answers false with `browserUnavailableReason` set.
 */
export function ensureChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.getuid?.() !== 0 || spawnSync('which', ['apt-get']).status !== 0) {
    browserUnavailableReason = `${CHROMIUM_PATH} is missing, and installing it needs root and apt-get`;
    return false;
  }
  console.warn(`${CHROMIUM_PATH} is missing: installing Debian's chromium (apt-get install -y chromium), this takes a minute or two`);
  const apt = (args: string[]) =>
    spawnSync('apt-get', args, { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  let install = apt(['install', '-y', 'chromium']);
  if (install.status !== 0) {
    apt(['update']);
    install = apt(['install', '-y', 'chromium']);
  }
  if (install.status === 0 && existsSync(CHROMIUM_PATH)) return true;
  const output = `${install.stdout ?? ''}${install.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ');
  const outcome = install.status === 0 ? `ran, but ${CHROMIUM_PATH} is still missing` : `failed (${install.error?.message ?? `exit ${install.status}`})`;
  browserUnavailableReason = `apt-get install -y chromium ${outcome}: ${output}`;
  return false;
}

/** Launches headless Chromium on a new empty profile. */
export async function launchChromium(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'otp-chromium-'));
  try {
    // A persistent context is how Playwright takes a profile directory of our choosing (--user-data-dir).
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `describe` for suites that drive a real browser. Installs Chromium when it is missing (see
 * `ensureChromium`); when it cannot be had, prints a boxed warning saying why and registers one
 * test that FAILS, unless `OTP_ALLOW_NO_BROWSER=1` is set (then that test passes and says so): a
 * CI without a browser can never look green by accident.
 */
export function describeBrowser(name: string, body: () => void): void {
  describe(name, () => {
    if (ensureChromium()) {
      describe('in headless Chromium', body);
      return;
    }
    warnLoudly(name, browserUnavailableReason);
    it('needs Chromium (install Debian\'s chromium, or set OTP_ALLOW_NO_BROWSER=1 to accept skipping)', () => {
      if (process.env.OTP_ALLOW_NO_BROWSER !== '1') throw new Error(`Browser suite "${name}" could not run: ${browserUnavailableReason}`);
    });
  });
}

function warnLoudly(suite: string, reason: string): void {
  const lines = [`BROWSER SUITE DID NOT RUN: ${suite}`, `why: ${reason}`, `fix: apt-get install -y chromium (${CHROMIUM_PATH})`, 'OTP_ALLOW_NO_BROWSER=1 accepts this'];
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  console.warn(['', '#'.repeat(width + 2), ...lines.map((line) => `# ${line.padEnd(width - 1)}#`), '#'.repeat(width + 2), ''].join('\n'));
}
