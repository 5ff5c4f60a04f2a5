/** Tests of formatReportJson: numeric arrays on one line, the same value when parsed back. */
import { describe, expect, it } from 'vitest';
import { formatReportJson } from './report-json.js';

describe('formatReportJson', () => {
  it('keeps numeric arrays on one line and round-trips', () => {
    const report = { n: 3, top1ErrorCI95: [0.01, 0.2], confusion: [[1, 0], [0, 2]], perClassAccuracy: [1, null], topK: [[3, 1e-7, -2]], names: ['a', 'b'] };
    const text = formatReportJson(report);
    expect(text).toContain('"confusion": [\n    [1, 0],\n    [0, 2]\n  ]');
    expect(text).toContain('"perClassAccuracy": [1, null]');
    expect(text).toContain('"topK": [\n    [3, 1e-7, -2]\n  ]');
    expect(text).toContain('"names": [\n    "a",\n    "b"\n  ]');
    expect(JSON.parse(text)).toEqual(report);
  });
});
