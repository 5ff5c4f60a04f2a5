/**
 * Constant folding at load: nodes whose inputs are all constants are evaluated once while planning
 * (on the model's own tensors, any dtype) and never run per image. This is how the engine takes
 * shape arithmetic that exporters write as ops — e.g. torch.onnx.export's option-A shortcut of
 * ResNet-20 computes its Pad amounts with ConstantOfShape → Concat → Reshape → Slice(step −1) →
 * Transpose → Reshape → Cast. Semantics follow the ONNX operator specs (onnx/docs/Operators.md).
 */
import { allocate, type DType, elementCount, type Tensor } from '@onebit/core';
import type { OnnxNode } from '@onebit/onnx';
import { UnsupportedOpError } from './errors.js';
import { sliceWindow } from './ops/layout.js';

type Data = Tensor['data'];

/** ONNX TensorProto.DataType → onebit dtype, for Cast's `to` (the types the engine folds). */
const CAST_TO: Readonly<Record<number, DType>> = { 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 11: 'float64' };

/** The op types the folder evaluates when every input is a constant. */
export const FOLDABLE_OPS: ReadonlySet<string> = new Set(['ConstantOfShape', 'Concat', 'Reshape', 'Slice', 'Transpose', 'Cast', 'Identity', 'Squeeze', 'Unsqueeze', 'Shape', 'Gather']);

/** Ops the folder can only fold (the engine has no per-image kernel for them). */
export const FOLD_ONLY_OPS: ReadonlySet<string> = new Set(['ConstantOfShape', 'Transpose', 'Cast', 'Shape', 'Gather']);

/**
 * Shape is folded for activations too: the engine plans and runs one image at a time, so an
 * activation's shape is its planned dims with batch 1 — what `x.view(x.size(0), -1)` needs for a
 * per-image Reshape.
 */
export const SHAPE_OF_ACTIVATION = 'Shape';

const isBig = (d: Data): d is BigInt64Array | BigUint64Array => d instanceof BigInt64Array || d instanceof BigUint64Array;
const ints = (t: Tensor): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number);

function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/** out[j] = x[index(j)] for a gather described by output dims and a source offset per output index. */
function gather(x: Tensor, outDims: number[], source: (idx: number[]) => number): Tensor {
  const n = elementCount(outDims);
  const out = allocate(x.dtype, n);
  const idx = new Array<number>(outDims.length).fill(0);
  for (let j = 0; j < n; j++) {
    (out as unknown as Array<number | bigint>)[j] = (x.data as unknown as Array<number | bigint>)[source(idx)]!;
    for (let d = outDims.length - 1; d >= 0; d--) {
      if (++idx[d]! < outDims[d]!) break;
      idx[d] = 0;
    }
  }
  return { dtype: x.dtype, dims: outDims, data: out } as Tensor;
}

/**
 * Evaluates `node` on constant inputs (undefined = omitted optional input); for Shape, `shapeOf`
 * is the input's planned dims (see SHAPE_OF_ACTIVATION).
 * @throws UnsupportedOpError for an attribute or input form the folder does not evaluate.
 */
export function foldConstant(node: OnnxNode, inputs: ReadonlyArray<Tensor | undefined>, opset: number, shapeOf?: readonly number[]): Tensor {
  const fail = (what: string): never => {
    throw new UnsupportedOpError(node.opType, node.name || node.outputs[0]!, what);
  };
  const x = inputs[0];
  const attrInt = (name: string, fallback: number): number => {
    const a = node.attributes[name];
    return a?.type === 'int' ? a.value : fallback;
  };
  switch (node.opType) {
    case 'Identity':
      return x ?? fail('no input');
    case 'Shape': {
      const dims = x?.dims ?? shapeOf ?? fail('no input');
      if (node.attributes.start || node.attributes.end) fail('start/end attributes');
      return { dtype: 'int64', dims: [dims.length], data: BigInt64Array.from(dims, (d) => BigInt(d)) };
    }
    case 'Gather': {
      if (!x || !inputs[1]) return fail('no indices');
      const rank = x.dims.length;
      const axis0 = attrInt('axis', 0);
      const axis = axis0 < 0 ? axis0 + rank : axis0;
      const idxT = inputs[1];
      const indices = ints(idxT).map((i) => (i < 0 ? i + x.dims[axis]! : i));
      if (indices.some((i) => i < 0 || i >= x.dims[axis]!)) fail(`indices [${ints(idxT).join(', ')}] outside axis ${axis} of size ${x.dims[axis]}`);
      const outDims = [...x.dims.slice(0, axis), ...idxT.dims, ...x.dims.slice(axis + 1)];
      const xs = stridesOf(x.dims);
      const q = idxT.dims.length;
      return gather(x, outDims, (idx) => {
        let flat = 0;
        for (let d = 0; d < q; d++) flat = flat * idxT.dims[d]! + idx[axis + d]!;
        let src = indices[flat]! * xs[axis]!;
        for (let d = 0; d < axis; d++) src += idx[d]! * xs[d]!;
        for (let d = axis + 1; d < rank; d++) src += idx[d + q - 1]! * xs[d]!;
        return src;
      });
    }
    case 'ConstantOfShape': {
      const dims = x ? ints(x) : fail('no shape input');
      const v = node.attributes.value;
      const fill = v?.type === 'tensor' ? v.value.tensor : { dtype: 'float32' as const, dims: [1], data: new Float32Array(1) };
      const out = allocate(fill.dtype, elementCount(dims));
      (out as Float32Array).fill((fill.data as Float32Array)[0] as never);
      return { dtype: fill.dtype, dims, data: out } as Tensor;
    }
    case 'Cast': {
      if (!x) return fail('no input');
      const to = CAST_TO[attrInt('to', 0)] ?? fail(`to = ${attrInt('to', 0)}`);
      const out = allocate(to, x.data.length);
      const src = x.data as ArrayLike<number | bigint>;
      for (let i = 0; i < src.length; i++) {
        const v = src[i]!;
        // float → integer truncates toward zero (C++ static_cast, as onnxruntime's Cast does)
        if (isBig(out)) (out as BigInt64Array)[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
        else (out as Float32Array)[i] = to === 'bool' ? (Number(v) !== 0 ? 1 : 0) : typeof v === 'bigint' ? Number(v) : to.startsWith('float') ? v : Math.trunc(v);
      }
      return { dtype: to, dims: [...x.dims], data: out } as Tensor;
    }
    case 'Reshape': {
      if (!x || !inputs[1]) return fail('no shape input');
      const shape = ints(inputs[1]);
      if (attrInt('allowzero', 0) !== 0) fail('allowzero = 1');
      const dims = shape.map((d, i) => (d === 0 ? x.dims[i]! : d));
      const known = dims.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
      const out = dims.map((d) => (d === -1 ? x.data.length / known : d));
      if (elementCount(out) !== x.data.length || out.some((d) => !Number.isInteger(d) || d < 0)) fail(`shape [${shape.join(', ')}] for ${x.data.length} elements`);
      return { ...x, dims: out } as Tensor;
    }
    case 'Squeeze':
    case 'Unsqueeze': {
      if (!x) return fail('no input');
      const axesT = opset >= 13 ? inputs[1] : undefined;
      const attr = node.attributes.axes;
      const axes = axesT ? ints(axesT) : attr?.type === 'ints' ? attr.value : undefined;
      if (node.opType === 'Squeeze') {
        const rank = x.dims.length;
        const drop = new Set((axes ?? x.dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => (a < 0 ? a + rank : a)));
        return { ...x, dims: x.dims.filter((_, i) => !drop.has(i)) } as Tensor;
      }
      if (!axes) return fail('no axes');
      const rank = x.dims.length + axes.length;
      const add = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      const dims: number[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) dims.push(add.has(i) ? 1 : x.dims[k++]!);
      return { ...x, dims } as Tensor;
    }
    case 'Concat': {
      const parts = inputs.filter((t): t is Tensor => t !== undefined);
      const first = parts[0] ?? fail('no inputs');
      const rank = first.dims.length;
      const axis0 = attrInt('axis', 0);
      const axis = axis0 < 0 ? axis0 + rank : axis0;
      if (parts.some((p) => p.dtype !== first.dtype || p.dims.length !== rank || p.dims.some((d, i) => i !== axis && d !== first.dims[i]))) fail('inputs of different types or shapes');
      const outDims = [...first.dims];
      outDims[axis] = parts.reduce((s, p) => s + p.dims[axis]!, 0);
      const outer = elementCount(first.dims.slice(0, axis));
      const out = allocate(first.dtype, elementCount(outDims));
      const total = elementCount(outDims.slice(axis));
      let off = 0;
      for (const p of parts) {
        const block = elementCount(p.dims.slice(axis));
        for (let o = 0; o < outer; o++) (out as Float32Array).set((p.data as Float32Array).subarray(o * block, (o + 1) * block), o * total + off);
        off += block;
      }
      return { dtype: first.dtype, dims: outDims, data: out } as Tensor;
    }
    case 'Transpose': {
      if (!x) return fail('no input');
      const rank = x.dims.length;
      const p = node.attributes.perm;
      const perm = p?.type === 'ints' ? p.value : x.dims.map((_, i) => rank - 1 - i);
      const xs = stridesOf(x.dims);
      return gather(x, perm.map((a) => x.dims[a]!), (idx) => idx.reduce((s, v, d) => s + v * xs[perm[d]!]!, 0));
    }
    case 'Slice': {
      if (!x) return fail('no input');
      if (opset < 10) fail('opset < 10 (attribute form)');
      const starts = ints(inputs[1] ?? fail('no starts'));
      const ends = ints(inputs[2] ?? fail('no ends'));
      const axes = inputs[3] ? ints(inputs[3]) : starts.map((_, i) => i);
      const steps = inputs[4] ? ints(inputs[4]) : starts.map(() => 1);
      const { first, step, out } = sliceWindow(x.dims, starts, ends, axes, steps, 0, (a0, s) => fail(`axis ${a0} with step ${s}`));
      const xs = stridesOf(x.dims);
      return gather(x, out, (idx) => idx.reduce((sum, v, d) => sum + (first[d]! + v * step[d]!) * xs[d]!, 0));
    }
    default:
      return fail('with inputs that are not all constants');
  }
}
