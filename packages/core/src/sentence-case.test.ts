/** sentenceCase capitalises generic subjects only; file names keep the case they were typed in. */
import { describe, expect, it } from 'vitest';
import { sentenceCase } from './sentence-case.js';

describe('sentenceCase', () => {
  it('capitalises a generic subject', () => {
    expect(sentenceCase('the file is empty (0 bytes).')).toBe('The file is empty (0 bytes).');
  });
  it('keeps file names and paths exactly as typed', () => {
    expect(sentenceCase('notes.txt is an HTML page (59 bytes).')).toBe('notes.txt is an HTML page (59 bytes).');
    expect(sentenceCase('test_batch_0-999.bin is empty (0 bytes).')).toBe('test_batch_0-999.bin is empty (0 bytes).');
    expect(sentenceCase('theory.onnx is empty (0 bytes).')).toBe('theory.onnx is empty (0 bytes).');
  });
});
