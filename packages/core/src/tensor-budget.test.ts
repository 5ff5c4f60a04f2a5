/** TensorBudget: charges are subtracted, and the first one that does not fit is a LimitError naming the option. */
import { describe, expect, it } from 'vitest';
import { LimitError } from './errors.js';
import { TensorBudget } from './tensor-budget.js';

describe('TensorBudget', () => {
  it('subtracts charges that fit and refuses the first that does not, naming the option', () => {
    const budget = new TensorBudget(100);
    budget.charge('MAT', '"a"', 60);
    expect(budget.bytesLeft).toBe(40);
    budget.charge('MAT', '"b"', 40);
    expect(budget.bytesLeft).toBe(0);
    expect(() => budget.charge('MAT', '"c" (double, dims [1, 1])', 8)).toThrow(new LimitError(
      'MAT: "c" (double, dims [1, 1]) would take 8 bytes, beyond the 0 bytes left of the 100-byte limit (maxTensorBytes); pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.'));
  });
  it('words a first charge against the whole limit, and counts impossible sizes as too large', () => {
    const budget = new TensorBudget(10, 'maxInflatedBytes');
    expect(() => budget.charge('X', 'y', 11)).toThrow('X: y would take 11 bytes, beyond the 10-byte limit (maxInflatedBytes); pass a larger maxInflatedBytes option to the reader (--max-inflated-bytes on the command line) if the file is trusted.');
    expect(() => budget.charge('X', 'y', 2 ** 60)).toThrow('X: y would take more bytes than can be counted exactly, beyond the 10-byte limit');
    expect(budget.bytesLeft).toBe(10);
  });
  it('refuses a negative or NaN limit as a caller mistake', () => {
    expect(() => new TensorBudget(-1)).toThrow(RangeError);
    expect(() => new TensorBudget(Number.NaN)).toThrow(RangeError);
  });
});
