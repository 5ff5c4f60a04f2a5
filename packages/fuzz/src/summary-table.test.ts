/** Tests of the summary table's rows, totals and alignment. */
import { describe, expect, it } from 'vitest';
import { emptyStats } from './campaign.js';
import { summaryTable } from './summary-table.js';

describe('summaryTable', () => {
  it('prints one row per reader and a total row', () => {
    const a = { ...emptyStats('onnx'), cases: 10, typed: 7, accepted: 3, peakAllocated: 2 * 1024 * 1024, peakRss: 100 * 1024 * 1024, slowestMs: 12.4 };
    const b = { ...emptyStats('mat'), cases: 5, typed: 4, crashes: 1, peakRss: 50 * 1024 * 1024 };
    expect(summaryTable([a, b]).split('\n')).toEqual([
      '| reader | cases | typed errors | accepted | crashes | timeouts | over memory | peak case alloc | peak rss | slowest case |',
      '|--------|------:|-------------:|---------:|--------:|---------:|------------:|----------------:|---------:|-------------:|',
      '| onnx   |    10 |            7 |        3 |       0 |        0 |           0 |         2.0 MiB |  100 MiB |        12 ms |',
      '| mat    |     5 |            4 |        0 |       1 |        0 |           0 |         0.0 MiB |   50 MiB |         0 ms |',
      '| total  |    15 |           11 |        3 |       1 |        0 |           0 |         2.0 MiB |  100 MiB |        12 ms |',
    ]);
  });
});
