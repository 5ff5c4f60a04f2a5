/**
 * decodeModel / encodeModel: ONNX ModelProto bytes ↔ OnnxModel. Not-a-model inputs (empty, Git
 * LFS pointer, HTML, no ModelProto fields) throw WrongFileError; a model whose protobuf is corrupt
 * throws FormatError (TruncatedError when it ends early) naming the byte offset protobufjs reached.
 * Lossless: decodeModel then encodeModel with nothing changed gives the input bytes back; fields
 * onebit does not interpret are kept in `passThrough` (see model.ts) and written back.
 */
import { FormatError, OnebitError, TensorBudget, TruncatedError, WrongFileError, describeWrongFile, sentenceCase } from '@onebit/core';
import { decodeGraph, encodeGraphBytes } from './graph-proto.js';
import { assemble, bytesEqual, messageField, payload, pick, rest, splitFields } from './wire-fields.js';
import { int64ToNumber } from './int64.js';
import type { OnnxModel } from './model.js';
import { type onnx, proto } from './proto.js';
import { sniffOnnx } from './sniff.js';

export interface DecodeModelOptions {
  /**
   * Most bytes all decoded tensors (initializers and tensor attributes, subgraphs included) may take
   * together, charged before each is allocated; default 64 MiB + 8 × the file size
   * (defaultMaxOnnxTensorBytes: a packed varint of 1 byte can decode to an 8-byte int64).
   */
  maxTensorBytes?: number;
}

/** The default maxTensorBytes of decodeModel for a file of `fileBytes` bytes. */
export function defaultMaxOnnxTensorBytes(fileBytes: number): number {
  return 64 * 1024 ** 2 + 8 * fileBytes;
}

/**
 * Decodes a serialized ModelProto; `name` (e.g. the file name) is used in wrong-file messages.
 * Throws WrongFileError, FormatError/TruncatedError, UnsupportedError, or LimitError (naming the
 * option that raises it).
 */
export function decodeModel(bytes: Uint8Array, name = 'the ONNX file', options: DecodeModelOptions = {}): OnnxModel {
  const wrong = describeWrongFile(bytes, name);
  if (wrong) throw new WrongFileError(sentenceCase(wrong));
  if (!sniffOnnx(bytes)) {
    throw new WrongFileError(`${sentenceCase(name)} is not an ONNX model: its ${bytes.length} bytes do not start with ModelProto fields (first byte 0x${bytes[0]!.toString(16).padStart(2, '0')}).`);
  }
  try {
    proto.ModelProto.decode(bytes); // validates the whole message, with protobufjs's offsets in errors
  } catch (err) {
    throw wrapProtobufError(err);
  }
  try {
    return decodeValidated(bytes, name, new TensorBudget(options.maxTensorBytes ?? defaultMaxOnnxTensorBytes(bytes.length)));
  } catch (err) {
    // A sub-message can be corrupt where the whole-message check above does not look (bytes fields
    // onebit decodes as messages): still a corrupt file, never a crash.
    if (err instanceof OnebitError) throw err;
    throw wrapProtobufError(err);
  }
}

/** decodeModel's work once protobufjs has accepted the whole message. */
function decodeValidated(bytes: Uint8Array, name: string, budget: TensorBudget): OnnxModel {
  const fields = splitFields(bytes, 'the ModelProto');
  const p = proto.ModelProto.decode(pick(fields, MODEL_SCALARS));
  const graphField = fields.filter((f) => f.number === 7).pop();
  if (!graphField) throw new FormatError('ONNX', `the ModelProto in ${name} has no graph.`);
  const metadata: Record<string, string> = {};
  for (const e of p.metadataProps ?? []) metadata[e.key ?? ''] = e.value ?? '';
  const model: OnnxModel = {
    irVersion: int64ToNumber(p.irVersion, 'ir_version'),
    opsetImports: (p.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: int64ToNumber(o.version, `opset_import version of domain "${o.domain ?? ''}"`) })),
    producerName: p.producerName ?? '',
    producerVersion: p.producerVersion ?? '',
    domain: p.domain ?? '',
    modelVersion: int64ToNumber(p.modelVersion, 'model_version'),
    docString: p.docString ?? '',
    metadata,
    graph: decodeGraph(payload(graphField), 0, budget),
  };
  const passThrough = rest(fields, MODEL_INTERPRETED);
  if (passThrough) model.passThrough = passThrough;
  PRESENT.set(model.metadata, new Set(fields.map((f) => f.number)));
  SOURCE.set(model, { bytes, baseline: encodeFields(model) });
  return model;
}

/** ModelProto fields onebit reads: ir_version 1, producer_name 2, producer_version 3, domain 4, model_version 5, doc_string 6, opset_import 8, metadata_props 14; graph 7. */
const MODEL_SCALARS = new Set([1, 2, 3, 4, 5, 6, 8, 14]);
const MODEL_INTERPRETED = new Set([1, 2, 3, 4, 5, 6, 7, 8, 14]);
const SOURCE = new WeakMap<OnnxModel, { bytes: Uint8Array; baseline: Uint8Array }>();
/**
 * Which optional fields a decoded ModelProto had, keyed by its `metadata` object (which copies of the
 * model share), so an empty string is written back only where it was; a model built in code writes
 * every string field.
 */
const PRESENT = new WeakMap<object, ReadonlySet<number>>();

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

/**
 * Serializes an OnnxModel as ModelProto bytes: the decoded bytes when nothing changed; otherwise
 * changed tensors as raw_data, every unchanged part as its original bytes, and every passThrough
 * field written back.
 */
export function encodeModel(model: OnnxModel): Uint8Array {
  const out = encodeFields(model);
  const source = SOURCE.get(model);
  return source && bytesEqual(source.baseline, out) ? source.bytes : out;
}

function encodeFields(model: OnnxModel): Uint8Array {
  const present = PRESENT.get(model.metadata);
  const optional = <T>(value: T, empty: boolean, number: number): T | undefined => (!empty || !present || present.has(number) ? value : undefined);
  const p: onnx.IModelProto = {
    irVersion: optional(model.irVersion, model.irVersion === 0, 1),
    opsetImport: model.opsetImports.map((o) => ({ domain: o.domain, version: o.version })),
    producerName: optional(model.producerName, model.producerName === '', 2),
    producerVersion: optional(model.producerVersion, model.producerVersion === '', 3),
    domain: optional(model.domain, model.domain === '', 4),
    modelVersion: optional(model.modelVersion, model.modelVersion === 0, 5),
    docString: optional(model.docString, model.docString === '', 6),
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  };
  const known = splitFields(proto.ModelProto.encode(p).finish(), 'the re-encoded ModelProto');
  known.push({ number: 7, bytes: messageField(7, encodeGraphBytes(model.graph)) });
  return assemble(known, model.passThrough);
}
