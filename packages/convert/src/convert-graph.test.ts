/**
 * Tests of the ONNX / state_dict conversion paths of convert: external-data ONNX models (loaded
 * through the caller's reader, refused by the synchronous API, charged to limits.maxTensorBytes), safetensors state_dicts, and the
 * one-sentence errors for a state_dict without a graph, a graph that is not ONNX, and a graph given
 * with an ONNX input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LimitError, UnsupportedError, UsageError, WrongFileError, type Tensor } from '@onebit/core';
import { decodeModel, encodeModel } from '@onebit/onnx';
import { readTorch } from '@onebit/pytorch';
import { convert, convertSync } from './convert.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test-fixtures/mnist-1bit/${name}`, import.meta.url)));
const onnx = fixture('mnist-1bit.onnx');
const bitsOf = (m: ReturnType<typeof decodeModel>) => m.graph.initializers.filter((i) => i.name.endsWith('.bits')).map((i) => Array.from(i.tensor.data as Uint8Array));

/** mnist-1bit.onnx with its three conv weights moved to `weights.bin` (back to back, 16 bytes of header junk first). */
function externalVersion(): { model: Uint8Array; file: Uint8Array } {
  const m = decodeModel(onnx);
  const chunks: Uint8Array[] = [new Uint8Array(16).fill(7)];
  let offset = 16;
  m.graph.initializers = m.graph.initializers.map((init) => {
    if (!init.name.startsWith('conv')) return init;
    const bytes = new Uint8Array(new Float32Array(init.tensor.data as Float32Array).buffer);
    chunks.push(bytes);
    const ext = { name: init.name, tensor: { ...init.tensor, data: new Float32Array(0) } as Tensor, externalData: { location: 'weights.bin', offset, length: bytes.length } };
    offset += bytes.length;
    return ext;
  });
  const file = new Uint8Array(offset);
  let pos = 0;
  for (const c of chunks) {
    file.set(c, pos);
    pos += c.length;
  }
  return { model: encodeModel(m), file };
}

describe('convert on ONNX and state_dict inputs', () => {
  it('loads external data through the reader and packs the same bits as the in-file model', async () => {
    const { model, file } = externalVersion();
    expect(model.length).toBeLessThan(onnx.length - 80_000);
    const asked: string[] = [];
    const out = await convert(model, { fileName: 'ext.onnx', readExternalFile: (loc) => (asked.push(loc), file) });
    expect(asked).toEqual(['weights.bin']);
    expect(out.report.binarization!.alreadyBinary).toBe(3);
    expect(bitsOf(out.model!)).toEqual(bitsOf(convertSync(onnx).model!));
  });

  it('limits.maxTensorBytes reaches the external-data reader: 10 000 bytes hold the 464 in-file bytes, not conv2.weight', async () => {
    const { model, file } = externalVersion();
    await expect(convert(model, { fileName: 'ext.onnx', readExternalFile: () => file, limits: { maxTensorBytes: 10_000 } })).rejects.toThrow(new LimitError(
      'ONNX: external data of tensor "conv2.weight" of shape 32×16×3×3 (float32) would take 18432 bytes, beyond the 9424 bytes left of the 10000-byte limit (maxTensorBytes); pass a larger maxTensorBytes option to the reader (--max-tensor-bytes on the command line) if the file is trusted.',
    ));
    expect(bitsOf((await convert(model, { fileName: 'ext.onnx', readExternalFile: () => file, limits: { maxTensorBytes: 81_728 } })).model!)).toEqual(bitsOf(convertSync(onnx).model!));
  });

  it('EXPECTED FAILURE: an external-data model without a reader, or through the synchronous API', async () => {
    const { model } = externalVersion();
    await expect(convert(model, { fileName: 'ext.onnx' })).rejects.toThrow(new UnsupportedError('ext.onnx keeps tensors in external data files but no file reader was given to load them.'));
    expect(() => convertSync(model, { fileName: 'ext.onnx' })).toThrow('ext.onnx keeps tensors in external data files; convert it with convert() and a file reader (the CLI does).');
  });

  it('applies a safetensors state_dict like the torch one', () => {
    // safetensors bytes of the fixture's tensors, written by hand: header JSON + raw little-endian data
    const tensors = [...readTorch(fixture('mnist-1bit.pt')).tensors].filter(([, t]) => t.dtype === 'float32');
    const header: Record<string, unknown> = {};
    let offset = 0;
    for (const [name, t] of tensors) {
      header[name] = { dtype: 'F32', shape: t.dims, data_offsets: [offset, offset + t.data.length * 4] };
      offset += t.data.length * 4;
    }
    let json = JSON.stringify(header);
    json += ' '.repeat((8 - (json.length % 8)) % 8);
    const bytes = new Uint8Array(8 + json.length + offset);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(new TextEncoder().encode(json), 8);
    let at = 8 + json.length;
    for (const [, t] of tensors) {
      bytes.set(new Uint8Array((t.data as Float32Array).slice().buffer), at);
      at += t.data.length * 4;
    }
    const out = convertSync(bytes, { fileName: 'mnist.safetensors', graph: onnx });
    expect(out.summary.inputFormat).toBe('safetensors');
    expect(out.report.stateDict!.unusedKeys).toEqual([]);
    expect(bitsOf(out.model!)).toEqual(bitsOf(convertSync(onnx).model!));
  });

  it('EXPECTED FAILURE: says what is missing or wrong about the graph', () => {
    expect(() => convertSync(fixture('mnist-1bit.pt'), { fileName: 'm.pt' })).toThrow(
      new UnsupportedError('m.pt is a PyTorch checkpoint (zip, torch ≥ 1.6), which holds weights but no graph; pass the ONNX graph exported from the same model (onebit convert m.pt --graph model.onnx).'),
    );
    expect(() => convertSync(fixture('mnist-1bit.pt'), { fileName: 'm.pt', graph: fixture('mnist-1bit.pt'), graphFileName: 'g.pt' })).toThrow(
      new WrongFileError('The graph g.pt is a PyTorch checkpoint (zip, torch ≥ 1.6), not an ONNX model.'),
    );
    expect(() => convertSync(onnx, { fileName: 'm.onnx', graph: onnx })).toThrow(new UsageError('m.onnx is already an ONNX model; a graph is only used with a PyTorch or safetensors state_dict.'));
  });
});
