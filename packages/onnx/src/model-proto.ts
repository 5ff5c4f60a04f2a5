/**
 * decodeModel / encodeModel: ONNX ModelProto bytes ↔ OnnxModel. Not-a-model inputs (empty, Git
 * LFS pointer, HTML, no ModelProto fields) throw WrongFileError; a model whose protobuf is corrupt
 * throws FormatError (TruncatedError when it ends early) naming the byte offset protobufjs reached.
 */
import { FormatError, TruncatedError, WrongFileError, describeWrongFile, sentenceCase } from '@onebit/core';
import { decodeGraph, encodeGraph } from './graph-proto.js';
import { int64ToNumber } from './int64.js';
import type { OnnxModel } from './model.js';
import { type onnx, proto } from './proto.js';
import { sniffOnnx } from './sniff.js';

/** Decodes a serialized ModelProto; `name` (e.g. the file name) is used in wrong-file messages. */
export function decodeModel(bytes: Uint8Array, name = 'the ONNX file'): OnnxModel {
  const wrong = describeWrongFile(bytes, name);
  if (wrong) throw new WrongFileError(sentenceCase(wrong));
  if (!sniffOnnx(bytes)) {
    throw new WrongFileError(`${sentenceCase(name)} is not an ONNX model: its ${bytes.length} bytes do not start with ModelProto fields (first byte 0x${bytes[0]!.toString(16).padStart(2, '0')}).`);
  }
  let p: onnx.ModelProto;
  try {
    p = proto.ModelProto.decode(bytes);
  } catch (err) {
    throw wrapProtobufError(err);
  }
  if (!p.graph) throw new FormatError('ONNX', `the ModelProto in ${name} has no graph.`);
  const metadata: Record<string, string> = {};
  for (const e of p.metadataProps ?? []) metadata[e.key ?? ''] = e.value ?? '';
  return {
    irVersion: int64ToNumber(p.irVersion, 'ir_version'),
    opsetImports: (p.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: int64ToNumber(o.version, `opset_import version of domain "${o.domain ?? ''}"`) })),
    producerName: p.producerName ?? '',
    producerVersion: p.producerVersion ?? '',
    domain: p.domain ?? '',
    modelVersion: int64ToNumber(p.modelVersion, 'model_version'),
    docString: p.docString ?? '',
    metadata,
    graph: decodeGraph(p.graph),
  };
}

/** protobufjs reports "index out of range: POS + LEN > END" or "... at offset POS"; keep the facts. */
function wrapProtobufError(err: unknown): FormatError {
  const message = err instanceof Error ? err.message : String(err);
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(message);
  if (range) {
    const [pos, len, end] = [Number(range[1]), Number(range[2]), Number(range[3])];
    return new TruncatedError('ONNX', 'a protobuf field', pos, len, end - pos);
  }
  const at = /at offset (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : undefined;
  const where = offset === undefined ? '' : ` at byte ${offset}`;
  return new FormatError('ONNX', `the ModelProto protobuf is corrupt${where} (protobufjs: ${message}).`, offset, { cause: err });
}

/** Serializes an OnnxModel as ModelProto bytes (tensor data as raw_data). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const p: onnx.IModelProto = {
    irVersion: model.irVersion,
    opsetImport: model.opsetImports.map((o) => ({ domain: o.domain, version: o.version })),
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    domain: model.domain,
    modelVersion: model.modelVersion,
    docString: model.docString,
    graph: encodeGraph(model.graph),
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  };
  const out = proto.ModelProto.encode(p).finish();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
