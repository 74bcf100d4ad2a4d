// The public API report of nestjs-otp-delivery: API Extractor's review file of each entry point
// (`.` and `./testing`), generated from the built declarations (`npm run build:lib` first) and
// committed in libs/otp-delivery/api/. `node scripts/api-report.js` checks that the committed
// reports match the build (prints the difference, exits 1); `--update` rewrites them. The test
// suite runs the check (test/api/api-report.e2e-spec.ts), so a public change is always deliberate:
// it shows up in the report's diff, in review.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const library = join(root, 'libs/otp-delivery');
export const REPORT_FOLDER = join(library, 'api');
export const UPDATE_COMMAND = 'npm run build:lib && node scripts/api-report.js --update';

/** Each entry point of the package, with the declarations it is read from and its report's name. */
export const ENTRY_POINTS = [
  { entry: '.', declarations: 'dist/index.d.ts', reportName: 'nestjs-otp-delivery' },
  { entry: './testing', declarations: 'dist/testing/index.d.ts', reportName: 'nestjs-otp-delivery-testing' },
];

function extractorConfig(entryPoint, reportFolder, reportTempFolder) {
  return ExtractorConfig.prepare({
    configObjectFullPath: join(library, 'api-extractor.json'), // notional: the config lives here
    packageJsonFullPath: join(library, 'package.json'),
    configObject: {
      projectFolder: library,
      newlineKind: 'lf',
      mainEntryPointFilePath: join(library, entryPoint.declarations),
      compiler: { tsconfigFilePath: join(library, 'tsconfig.lib.json') },
      apiReport: { enabled: true, reportFileName: entryPoint.reportName, reportFolder, reportTempFolder },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'error' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning', addToApiReportFile: true },
          // No @public / @beta tags here: everything exported is public.
          'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
          // A type used by a public signature but not exported stays visible in the report, where review sees it.
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
          // Listed with source line numbers, which would change the report on every unrelated edit.
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
        },
        // TSDoc style (`@default` values, `@example` text) is not what this report reviews.
        tsdocMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
      },
    },
  });
}

/**
 * Generates each entry point's report and compares it with the committed one (in `reportFolder`).
 * With `update`, writes the new reports there instead. Answers, per entry point, whether it
 * changed, the difference, and API Extractor's errors.
 */
export function apiReports({ update = false, reportFolder = REPORT_FOLDER } = {}) {
  for (const { declarations } of ENTRY_POINTS) {
    if (!existsSync(join(library, declarations))) throw new Error(`libs/otp-delivery/${declarations} is missing: run "npm run build:lib" first (npm test builds)`);
  }
  const tempFolder = mkdtempSync(join(tmpdir(), 'otp-api-report-'));
  try {
    return ENTRY_POINTS.map((entryPoint) => {
      const config = extractorConfig(entryPoint, reportFolder, tempFolder);
      const problems = [];
      const result = Extractor.invoke(config, {
        localBuild: update,
        messageCallback: (message) => {
          // Console messages are API Extractor's own progress notes ("the API changed" among them).
          const reported = message.category !== 'console' && (message.logLevel === 'error' || message.logLevel === 'warning');
          if (reported) problems.push(message.formatMessageWithLocation(library));
          message.handled = true;
        },
      });
      const committedPath = config.reportFilePath;
      const generated = readFileSync(config.reportTempFilePath, 'utf8');
      const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : '';
      return {
        entry: entryPoint.entry,
        report: committedPath,
        changed: !update && generated !== committed,
        diff: lineDiff(committed, generated),
        problems: result.errorCount === 0 ? problems : [...problems, `API Extractor reported ${result.errorCount} errors`],
      };
    });
  } finally {
    rmSync(tempFolder, { recursive: true, force: true });
  }
}

/** A unified-style difference of two texts, lines prefixed `-` (committed) and `+` (generated), 2 lines of context. */
export function lineDiff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence table, from the end (reports are ~1,000 lines: fine).
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const lines = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) lines.push({ mark: ' ', text: a[i++], j: j++ });
    else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) lines.push({ mark: '+', text: b[j++] });
    else lines.push({ mark: '-', text: a[i++] });
  }
  const near = (index) => lines.slice(Math.max(0, index - 2), index + 3).some((line) => line.mark !== ' ');
  return lines
    .filter((line, index) => near(index))
    .map((line) => `${line.mark} ${line.text}`)
    .join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const update = process.argv.includes('--update');
  let failed = false;
  for (const report of apiReports({ update })) {
    for (const problem of report.problems) console.error(problem);
    if (report.problems.length > 0) failed = true;
    if (update) console.log(`${report.entry}: wrote ${report.report}`);
    else if (report.changed) {
      failed = true;
      console.error(`${report.entry}: the public API differs from ${report.report}:\n${report.diff}\n`);
    } else console.log(`${report.entry}: matches ${report.report}`);
  }
  if (failed && !update) console.error(`If the change is deliberate, update the reports: ${UPDATE_COMMAND}`);
  process.exit(failed ? 1 : 0);
}
