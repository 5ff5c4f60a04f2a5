/**
 * The golden container of FORMAT.md: one [2,1,3,3] binary weight, scale sqrt(2/9), model {}.
 * Every byte is asserted, so any change to the format shows up here first.
 */
import { readFileSync } from 'node:fs';
import { packSigns } from '@onebit/bits';
import { describe, expect, it } from 'vitest';
import { readContainer } from './read-container.js';
import { writeContainer } from './write-container.js';

// filter 0: 0.3 −0.1 2 / −5 −0.2 1 / 1 4 −1  → row bits 1 0 1 0 0 1 1 1 0 → word 0x000000e5
// filter 1: −3 −3 −3 / 3 3 3 / 0 −0 −7       → row bits 0 0 0 1 1 1 1 1 0 → word 0x000000f8
const WEIGHT = new Float32Array([0.3, -0.1, 2, -5, -0.2, 1, 1, 4, -1, -3, -3, -3, 3, 3, 3, 0, -0, -7]);
const SCALE = Math.sqrt(2 / (3 * 3 * 1)); // 0.4714045207910317, the paper's sqrt(2/(k²·Cin))

const HEADER =
  '{"model":{},"tensors":[{"name":"w","role":"binary-weight","dims":[2,1,3,3],"dtype":"float32",' +
  '"bits":{"order":"lsb-first","axis":0,"rows":2,"rowLength":9,"wordBits":32,"rowWords":1},' +
  '"scale":0.4714045207910317,"data":{"offset":0,"length":8,"crc32":"edc0ca24"}}]}';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

describe('golden container', () => {
  const bytes = writeContainer({ model: {}, tensors: [{ name: 'w', role: 'binary-weight', weight: { dims: [2, 1, 3, 3], bits: packSigns(WEIGHT), scale: SCALE } }] });

  it('has the documented preamble: magic, version 1, header length 260, header CRC 0x5931c4ec', () => {
    expect(HEADER.length).toBe(260);
    expect(hex(bytes.subarray(0, 20))).toBe('89 4f 4e 45 42 49 54 0a 01 00 00 00 04 01 00 00 ec c4 31 59');
  });

  it('has the exact header JSON, zero padding to byte 320, then the two row words', () => {
    expect(new TextDecoder().decode(bytes.subarray(20, 280))).toBe(HEADER);
    expect(bytes.subarray(280, 320).every((b) => b === 0)).toBe(true);
    expect(hex(bytes.subarray(320))).toBe('e5 00 00 00 f8 00 00 00');
    expect(bytes.length).toBe(328);
  });

  it('reads back to the same bits and scale', () => {
    const c = readContainer(bytes);
    expect(c.model).toEqual({});
    expect(c.graph).toBeUndefined();
    expect(c.tensors).toHaveLength(1);
    const t = c.tensors[0]!;
    if (t.role !== 'binary-weight') throw new Error('expected a binary weight');
    expect(t.name).toBe('w');
    expect(t.weight.dims).toEqual([2, 1, 3, 3]);
    expect(hex(t.weight.bits)).toBe('e5 f0 01');
    expect(t.weight.scale).toBe(SCALE);
  });

  it('is the example FORMAT.md writes out (the spec and the code cannot drift apart)', () => {
    const spec = readFileSync(new URL('../FORMAT.md', import.meta.url), 'utf8');
    expect(spec).toContain(`\n${HEADER}\n`);
    expect(spec).toContain('0000  89 4f 4e 45 42 49 54 0a');
    expect(spec).toContain('0010  ec c4 31 59');
    expect(spec).toContain('0140  e5 00 00 00');
    expect(spec).toContain('0144  f8 00 00 00');
  });
});
