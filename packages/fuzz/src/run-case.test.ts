/**
 * Tests that the harness catches what it exists to catch, on planted readers: a TypeError or a
 * thrown string is a crash, a onebit error is typed, and a case allocating past its bound is
 * 'memory'; a campaign counts them and keeps the failing inputs.
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '@onebit/core';
import { runCampaign } from './campaign.js';
import { BASE_MEMORY_ALLOWANCE, classifyError, memoryBound } from './outcome.js';
import { runCase } from './run-case.js';
import type { FuzzTarget } from './target.js';

const planted = (read: FuzzTarget['read']): FuzzTarget => ({ name: 'planted', seeds: () => [{ name: 'seed', bytes: new Uint8Array([1, 2, 3, 4]) }], read });

describe('runCase', () => {
  it('classifies returns, onebit errors and other throws', async () => {
    expect((await runCase(planted(() => 1), new Uint8Array(4))).kind).toBe('accepted');
    expect(await runCase(planted(() => { throw new FormatError('X', 'bad byte 3.'); }), new Uint8Array(4))).toMatchObject({ kind: 'typed', errorClass: 'FormatError', message: 'X: bad byte 3.' });
    expect(await runCase(planted((b) => (b as unknown as { x: { y: number } }).x.y), new Uint8Array(4))).toMatchObject({ kind: 'crash', errorClass: 'TypeError' });
    expect(await runCase(planted(async () => Promise.reject(new RangeError('r'))), new Uint8Array(4))).toMatchObject({ kind: 'crash', errorClass: 'RangeError', message: 'r' });
    expect(classifyError('text')).toEqual({ kind: 'crash', errorClass: 'string', message: 'text' });
  });
  it('flags a case that allocates more than its bound', async () => {
    let keep: Uint8Array | undefined;
    const outcome = await runCase(planted(() => (keep = new Uint8Array(BASE_MEMORY_ALLOWANCE + 1024 * 1024).fill(1))), new Uint8Array(4));
    expect(outcome.kind).toBe('memory');
    expect(keep!.length).toBeGreaterThan(memoryBound(4));
  });
});

describe('runCampaign', () => {
  it('counts every case and keeps the failing inputs', async () => {
    const stats = await runCampaign(planted((b) => { if (b.length > 2) throw new TypeError('boom'); return b; }), { cases: 40, seed: 3 });
    expect(stats.cases).toBe(40);
    expect(stats.crashes + stats.accepted).toBe(40);
    expect(stats.crashes).toBeGreaterThan(0);
    expect(stats.failures.every((f) => f.bytes.length > 2 && f.outcome.errorClass === 'TypeError')).toBe(true);
  });
});
