/**
 * Recognises an ONNX ModelProto without decoding it. ONNX has no magic number, so the check walks
 * the top-level protobuf fields: every tag must be a ModelProto field with its wire type
 * (1 ir_version varint, 2–4 and 6 strings, 5 model_version varint, 7 graph, 8 opset_import,
 * 14 metadata_props, 20 training_info, 25 functions), and ir_version plus a graph or opset_import
 * must appear. Never throws; a prefix of a file is enough.
 */

const VARINT = 0;
const LEN = 2;
/** ModelProto field number → wire type. */
const MODEL_FIELDS = new Map<number, number>([
  [1, VARINT], [2, LEN], [3, LEN], [4, LEN], [5, VARINT], [6, LEN], [7, LEN], [8, LEN], [14, LEN], [20, LEN], [25, LEN], [26, LEN],
]);
/** IR versions 1..this are plausible (10 is current in 2024; room for growth). */
const MAX_IR_VERSION = 64;

/** True when `bytes` (a whole file or its start) looks like a serialized ONNX ModelProto. */
export function sniffOnnx(bytes: Uint8Array): boolean {
  let pos = 0;
  let irVersion = false;
  let body = false;
  const varint = (): number | undefined => {
    let v = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (pos >= bytes.length) return undefined;
      const b = bytes[pos++]!;
      if (shift < 49) v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
    return undefined;
  };
  while (pos < bytes.length) {
    const tag = varint();
    if (tag === undefined) break;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    // a field of a newer ONNX version (or an unknown one) after the header and graph: still a model
    if (!MODEL_FIELDS.has(field) && field > 0 && irVersion && body && (wire === VARINT || wire === LEN || wire === 1 || wire === 5)) return true;
    if (MODEL_FIELDS.get(field) !== wire) return false;
    const value = varint();
    if (value === undefined) break;
    if (field === 1) {
      if (value < 1 || value > MAX_IR_VERSION) return false;
      irVersion = true;
    }
    if (field === 7 || field === 8) body = true;
    if (wire === LEN) {
      if (value > bytes.length - pos) break; // runs past the prefix we were given
      pos += value;
    }
  }
  return irVersion && (body || pos < bytes.length);
}
