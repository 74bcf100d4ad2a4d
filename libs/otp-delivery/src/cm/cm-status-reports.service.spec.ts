import { Logger } from '@nestjs/common';
import { firstValueFrom, take, toArray } from 'rxjs';
import { CmStatusReports } from './cm-status-reports.service.js';
import { CmStatusReportError } from './cm-status-report.parser.js';

describe('CmStatusReports', () => {
  const reports = new CmStatusReports();
  afterAll(() => reports.onApplicationShutdown());

  it('reads CM’s JSON template (msg as an object, numbers as strings)', () => {
    const body = {
      messages: {
        msg: {
          received: '2026-11-22T05:00:00Z',
          to: '00819012345678',
          reference: 'abc123',
          status: { code: '2', errorCode: '', errorDescription: '' },
          operator: '44010',
        },
      },
    };
    expect(reports.parse(body, 'application/json')).toEqual([
      {
        reference: 'abc123',
        status: 'delivered',
        destinationMasked: '**********5678',
        cmStatusCode: 2,
        cmErrorCode: undefined,
        cmErrorDescription: undefined,
        receivedAt: new Date('2026-11-22T05:00:00Z'),
      },
    ]);
  });

  it('reads msg as an array with PascalCase keys and every status', () => {
    const msg = [0, 1, 2, 3].map((code) => ({ Reference: `r${code}`, To: '+819012345678', Status: { Code: code, ErrorCode: code === 3 ? '18' : undefined, ErrorDescription: code === 3 ? 'Expired' : undefined } }));
    const receipts = reports.parse({ Messages: { Msg: msg } });
    expect(receipts.map((r) => [r.reference, r.status, r.cmErrorCode, r.cmErrorDescription])).toEqual([
      ['r0', 'accepted', undefined, undefined],
      ['r1', 'rejected', undefined, undefined],
      ['r2', 'delivered', undefined, undefined],
      ['r3', 'failed', 18, 'Expired'],
    ]);
    expect(receipts[0]!.destinationMasked).toBe('********5678');
  });

  it('reads JSON sent as text and CM’s simple XML', () => {
    const json = JSON.stringify({ messages: { msg: { reference: 'j1', to: '0031612345678', status: { code: 3 } } } });
    expect(reports.parse(json)).toMatchObject([{ reference: 'j1', status: 'failed' }]);
    const xml = `<?xml version="1.0" encoding="utf-8"?>
      <MESSAGES><MSG><RECEIVED>2026-11-22T05:00:00</RECEIVED><TO>0031612345678</TO><REFERENCE>x1</REFERENCE>
      <STATUS><CODE>2</CODE><ERRORCODE/><ERRORDESCRIPTION></ERRORDESCRIPTION></STATUS></MSG>
      <MSG><TO>0031612345678</TO><REFERENCE>x2</REFERENCE><STATUS><CODE>3</CODE><ERRORCODE>5</ERRORCODE><ERRORDESCRIPTION>Absent &amp; off</ERRORDESCRIPTION></STATUS></MSG></MESSAGES>`;
    expect(reports.parse(xml, 'application/xml')).toMatchObject([
      { reference: 'x1', status: 'delivered', destinationMasked: '*********5678' },
      { reference: 'x2', status: 'failed', cmErrorCode: 5, cmErrorDescription: 'Absent & off' },
    ]);
  });

  it('skips entries without a reference or with an unknown status, and answers [] for an empty report', () => {
    const warnings: unknown[] = [];
    Logger.overrideLogger({ log: () => undefined, error: () => undefined, warn: (message: unknown) => warnings.push(message) });
    try {
      expect(reports.parse({ messages: { msg: [{ to: '1', status: { code: 2 } }, { reference: 'a', status: { code: 9 } }, 'junk'] } })).toEqual([]);
      expect(reports.parse({})).toEqual([]);
    } finally {
      Logger.overrideLogger(false);
    }
    expect(warnings).toHaveLength(1);
  });

  it('warns about an entry of ours skipped for an unknown status code (unconfirmed codes), once a minute, naming only the code', () => {
    const warnings: unknown[] = [];
    Logger.overrideLogger({ log: () => undefined, error: () => undefined, warn: (message: unknown) => warnings.push(message) });
    try {
      const fresh = new CmStatusReports();
      expect(fresh.parse({ messages: { msg: [{ reference: 'ok1', to: '+819012345678', status: { code: 2 } }, { reference: 'new1', to: '+819012345678', status: { code: 7 } }] } })).toMatchObject([
        { reference: 'ok1', status: 'delivered' },
      ]);
      fresh.parse({ messages: { msg: { reference: 'new2', status: { code: 8 } } } });
      expect(warnings).toEqual([{ msg: 'CM status report entry skipped: unknown or missing status code', cmStatusCode: 7, suppressed: 0 }]);
      // An entry without a reference of ours is not ours: no warning; a long number is not repeated.
      const other = new CmStatusReports();
      other.parse({ messages: { msg: [{ status: { code: 9 } }, { reference: 'x1', status: { code: '819012345678' } }] } });
      expect(warnings.slice(1)).toEqual([{ msg: 'CM status report entry skipped: unknown or missing status code', cmStatusCode: 'not a small integer', suppressed: 0 }]);
      const third = new CmStatusReports();
      third.parse({ messages: { msg: { reference: 'x2' } } });
      expect(warnings.slice(2)).toEqual([{ msg: 'CM status report entry skipped: unknown or missing status code', cmStatusCode: 'missing', suppressed: 0 }]);
      third.onApplicationShutdown();
      fresh.onApplicationShutdown();
      other.onApplicationShutdown();
    } finally {
      Logger.overrideLogger(false);
    }
  });

  it('throws CmStatusReportError for a body that is neither JSON nor XML', () => {
    expect(() => reports.parse('not a report')).toThrow(CmStatusReportError);
    expect(() => reports.parse('<MESSAGES><MSG></MESSAGES>')).toThrow(CmStatusReportError);
  });

  it('publishes receipts on receipts$', async () => {
    const received = firstValueFrom(reports.receipts$.pipe(take(2), toArray()));
    reports.publish(reports.parse({ messages: { msg: [{ reference: 'p1', status: { code: 0 } }, { reference: 'p2', status: { code: 2 } }] } }));
    expect((await received).map((r) => r.reference)).toEqual(['p1', 'p2']);
  });
});
