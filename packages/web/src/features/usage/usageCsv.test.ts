import { describe, expect, it } from 'vitest';
import { breakdownCsv, buildCsv, csvCell, csvFileName, seriesCsv } from './usageCsv';
import { EMPTY_FIGURES, type UsageBreakdown } from './usageView';

describe('CSV cells', () => {
  it('quotes what needs quoting and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(1234567)).toBe('1234567');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('never lets a name run as a spreadsheet formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('ends every line with CRLF', () => {
    expect(
      buildCsv([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('a,b\r\n1,\r\n');
  });
});

describe('usage CSV', () => {
  it('writes one row per bucket shown, in UTC, with plain numbers', () => {
    const csv = seriesCsv({
      points: [
        {
          time: '2026-11-29T00:00:00.000Z',
          requests: 12000,
          responses: 11990,
          units: 340,
          errors: 3,
          errorRate: 3 / 11990,
          latencyMin: 1.234,
          latencyAvg: 20.4567,
          latencyMax: 300,
          latencyP50: 18,
          latencyP95: 120.5,
          latencyP99: 250.129,
        },
        { ...EMPTY_FIGURES, time: '2026-11-30T00:00:00.000Z' },
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'bucket_start_utc,requests,responses,units,errors,error_rate,latency_min_ms,latency_avg_ms,latency_max_ms,latency_p50_ms,latency_p95_ms,latency_p99_ms',
      '2026-11-29T00:00:00.000Z,12000,11990,340,3,0.00025,1.23,20.46,300,18,120.5,250.13',
      '2026-11-30T00:00:00.000Z,0,0,0,0,,,,,,,',
      '',
    ]);
  });

  it('writes a breakdown with ids, names and notes', () => {
    const breakdown: UsageBreakdown = {
      key: 'app',
      title: 'By app',
      label: 'App',
      rows: [
        {
          ...EMPTY_FIGURES,
          id: 'app_1',
          name: 'Trend Radar',
          note: null,
          requests: 10,
          responses: 10,
          errors: 1,
          errorRate: 0.1,
        },
        {
          ...EMPTY_FIGURES,
          id: 'app_2',
          name: 'Old, gone',
          note: 'deleted',
          requests: 4,
          responses: 4,
          errorRate: 0,
        },
      ],
    };
    expect(breakdownCsv(breakdown).split('\r\n')).toEqual([
      'app_id,app,requests,responses,units,errors,error_rate,latency_min_ms,latency_avg_ms,latency_max_ms,latency_p50_ms,latency_p95_ms,latency_p99_ms',
      'app_1,Trend Radar,10,10,0,1,0.1,,,,,,',
      'app_2,"Old, gone (deleted)",4,4,0,0,0,,,,,,',
      '',
    ]);
  });

  it('names files after the scope and period', () => {
    expect(csvFileName('usage', 'Analytical Engines', 'last-24-hours')).toBe(
      'usage-analytical-engines-last-24-hours.csv',
    );
    expect(csvFileName('usage', 'Café / Ünïcode', '2026-10', 'by app')).toBe(
      'usage-cafe-unicode-2026-10-by-app.csv',
    );
    expect(csvFileName('')).toBe('usage.csv');
  });
});
