/** The shared geometry: channel selection, shorter-side resize, torchvision's centre crop, C×H×W output, typed errors. */
import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.js';
import { resizedSize, roundHalfEven, toPlanes } from './image-geometry.js';

describe('image geometry', () => {
  it('rounds halves to even like Python and sizes the shorter side like torchvision', () => {
    expect([0.5, 1.5, 2.5, 16.5, 17.5, 16.4, 16.6].map(roundHalfEven)).toEqual([0, 2, 2, 16, 18, 16, 17]);
    expect(resizedSize(500, 375, 256)).toEqual([341, 256]);
    expect(resizedSize(375, 500, 256)).toEqual([256, 341]);
  });

  it('drops alpha, repeats grey, and writes C×H×W planes', () => {
    const rgba = { width: 2, height: 1, data: Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 0]) };
    expect(Array.from(toPlanes(rgba, {}, 3, 'rgba').pixels)).toEqual([1, 4, 2, 5, 3, 6]);
    const grey = { width: 2, height: 1, data: Uint8Array.from([7, 8]), channels: 1 };
    expect(Array.from(toPlanes(grey, {}, 3, 'grey').pixels)).toEqual([7, 8, 7, 8, 7, 8]);
  });

  it('crops at round((W − crop)/2), round((H − crop)/2) after resizing', () => {
    const data = Uint8Array.from({ length: 9 * 6 }, (_, i) => i); // grey, value = y·9 + x
    const got = toPlanes({ width: 9, height: 6, data, channels: 1 }, { crop: 4 }, 1, 'g');
    // x offset round(2.5) = 2, y offset round(1) = 1
    expect([got.width, got.height, ...got.pixels.subarray(0, 4)]).toEqual([4, 4, 11, 12, 13, 14]);
    const stretched = toPlanes({ width: 4, height: 1, data: Uint8Array.from([0, 100, 200, 255]), channels: 1 }, { size: [8, 1] }, 1, 'g');
    expect(Array.from(stretched.pixels)).toEqual([0, 25, 75, 125, 175, 214, 241, 255]);
  });

  it('EXPECTED FAILURE: pixels that do not add up, RGB for a grey model, a crop larger than the image', () => {
    expect(() => toPlanes({ width: 2, height: 2, data: new Uint8Array(5) }, {}, 3, 'odd.png')).toThrow(FormatError);
    expect(() => toPlanes({ width: 2, height: 2, data: new Uint8Array(5) }, {}, 3, 'odd.png')).toThrow('image: odd.png has 5 bytes, which is not 2×2 pixels of 1, 3 or 4 bytes.');
    expect(() => toPlanes({ width: 1, height: 1, data: new Uint8Array(3) }, {}, 1, 'c.png')).toThrow('image: c.png has 3 channels per pixel but one grey channel is needed.');
    expect(() => toPlanes({ width: 9, height: 6, data: new Uint8Array(54), channels: 1 }, { crop: 8 }, 1, 's.png')).toThrow('image: s.png is 9×6 after resizing, smaller than the 8×8 crop.');
  });
});
