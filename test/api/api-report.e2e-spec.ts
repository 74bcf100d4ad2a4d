import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
// @ts-expect-error: a plain ESM script without type declarations
import { apiReports, REPORT_FOLDER, UPDATE_COMMAND } from '../../scripts/api-report.js';

interface ApiReport {
  readonly entry: string;
  readonly report: string;
  readonly changed: boolean;
  readonly diff: string;
  readonly problems: readonly string[];
}

/**
 * The committed API reports (libs/otp-delivery/api/*.api.md) are API Extractor's view of the
 * built declarations (`npm test` builds first): a change to what the package exports, or to the
 * signature of anything exported, fails here until the report is updated with it, so it is seen
 * in review.
 */
describe('the public API of nestjs-otp-delivery', () => {
  it('matches the committed API reports of "." and "./testing"', () => {
    const reports: ApiReport[] = apiReports();
    expect(reports.map((report) => report.entry)).toEqual(['.', './testing']);
    for (const report of reports) {
      expect(report.problems).toEqual([]);
      if (report.changed) {
        throw new Error(`The public API of ${report.entry} differs from ${report.report}:\n${report.diff}\n\nIf the change is deliberate, update the report: ${UPDATE_COMMAND}`);
      }
    }
  }, 60_000);

  it('the check notices a change: a report missing an export fails, showing the line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'api-report-check-'));
    try {
      for (const report of ['nestjs-otp-delivery.api.md', 'nestjs-otp-delivery-testing.api.md']) copyFileSync(join(REPORT_FOLDER, report), join(folder, report));
      const edited = join(folder, 'nestjs-otp-delivery.api.md');
      const text = readFileSync(edited, 'utf8');
      writeFileSync(edited, text.replace('export function TokenizationCallback(): ClassDecorator & MethodDecorator;\n', ''));
      const [root, testing]: ApiReport[] = apiReports({ reportFolder: folder });
      expect(basename(root!.report)).toBe('nestjs-otp-delivery.api.md');
      expect(root!.changed).toBe(true);
      expect(root!.diff).toContain('+ export function TokenizationCallback(): ClassDecorator & MethodDecorator;');
      expect(testing!.changed).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
