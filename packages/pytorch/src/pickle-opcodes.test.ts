/** Tests of the opcode table: unique codes that match pickletools. */
import { describe, expect, it } from 'vitest';
import { OP, opName } from './pickle-opcodes.js';

describe('pickle opcodes', () => {
  it('has one name per code', () => {
    const codes = Object.values(OP);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBe(68);
  });
  it('names codes as pickletools does', () => {
    expect(opName(0x80)).toBe('PROTO');
    expect(opName(0x93)).toBe('STACK_GLOBAL');
    expect(opName('c'.charCodeAt(0))).toBe('GLOBAL');
    expect(opName(0xff)).toBeUndefined();
  });
});
