/** Tests of the MATLAB → ONNX filter reordering on a hand-numbered kernel. */
import { describe, expect, it } from 'vitest';
import { matlabFilterToOnnx } from './layout.js';

describe('matlabFilterToOnnx', () => {
  it('maps column-major (h, w, ci, co) to C-order [co, ci, h, w]', () => {
    // kH=2, kW=3, Cin=1, Cout=2 column-major: index = h + 2·(w + 3·(ci + 1·co)).
    // Give element (h, w, 0, co) the bit (h + w + co) mod 2 so each position is recognisable.
    const data = new Uint8Array(12);
    for (let co = 0; co < 2; co++) for (let w = 0; w < 3; w++) for (let h = 0; h < 2; h++) data[h + 2 * (w + 3 * co)] = (h + w + co) % 2;
    const { bits, dims } = matlabFilterToOnnx(data, [2, 3, 1, 2], 'k');
    expect(dims).toEqual([2, 1, 2, 3]);
    // C order [co][ci][h][w]
    expect(Array.from(bits)).toEqual([0, 1, 0, 1, 0, 1, /* co=1 */ 1, 0, 1, 0, 1, 0]);
  });
  it('drops the leading singleton axis of the Keras release and restores a dropped trailing C_out = 1', () => {
    expect(matlabFilterToOnnx(new Uint8Array(4), [1, 1, 1, 4, 1], 'k').dims).toEqual([1, 4, 1, 1]);
    expect(matlabFilterToOnnx(new Uint8Array(4), [1, 1, 4], 'k').dims).toEqual([1, 4, 1, 1]);
  });
  it('names the weight when the element count does not match the shape', () => {
    expect(() => matlabFilterToOnnx(new Uint8Array(5), [1, 1, 2, 2], 'BinaryWeights{3}')).toThrow("Conv weight 'BinaryWeights{3}' holds 5 values for shape [1, 1, 2, 2].");
  });
});
