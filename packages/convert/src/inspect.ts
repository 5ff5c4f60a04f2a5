/**
 * Describes any supported model file: its format, the tensors or variables it holds (name, dtype,
 * shape, bytes) and which of them are binary or would be binarized. Used by `onebit inspect`.
 */
import { binaryDistance, detectBinary } from '@onebit/binarize';
import { DTYPE_BYTES, elementCount, formatDims, type ReaderLimits, type Tensor } from '@onebit/core';
import { readContainer } from '@onebit/container';
import { describeMat, readMat } from '@onebit/mat';
import { decodeModel, liftBinaryWeights, STACKED_BITS_NAME, type OnnxModel } from '@onebit/onnx';
import { planBinarization, type LayerReport } from '@onebit/onnx-binarize';
import { readSafetensors, readTorch } from '@onebit/pytorch';
import { countWeights, isBinaryWideResnet, readBinaryWideResnet, readWrnFromMat, type WrnNetwork } from '@onebit/wrn';
import { latentZerosRemark } from './importers/binary-wide-resnet.js';
import { detectFormat, FORMAT_NAMES, type ModelFormat } from './detect-format.js';

export interface TensorInfo {
  readonly name: string;
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly bytes: number;
  /** 'binary' (already ±a or 0/1), 'would-binarize' (a float weight of rank ≥ 2), or 'keep'. */
  readonly binarization: 'binary' | 'would-binarize' | 'keep';
  /** Relative distance from ±mean|w| (0 = already binary); only for loaded weights that would be binarized. */
  readonly binaryDistance?: number;
  /** ONNX only: the external data file holding the tensor (not loaded by inspect). */
  readonly external?: string;
  /** Packed ONNX only: the binary weight whose sign bits this `<name>.bits` initializer holds. */
  readonly signBitsOf?: { readonly name: string; readonly dims: readonly number[] };
}

export interface ModelDescription {
  readonly format: ModelFormat;
  readonly formatName: string;
  readonly bytes: number;
  readonly metadata: Record<string, unknown>;
  readonly tensors: TensorInfo[];
  readonly lines: string[];
}

function tensorInfo(name: string, t: Tensor): TensorInfo {
  const bytes = t.data.length * DTYPE_BYTES[t.dtype];
  const isFloat = t.dtype === 'float32' || t.dtype === 'float16' || t.dtype === 'bfloat16' || t.dtype === 'float64';
  if (t.dims.length >= 2 && t.data.length > 0 && detectBinary(t)) return { name, dtype: t.dtype, dims: t.dims, bytes, binarization: 'binary' };
  if (isFloat && t.dims.length >= 2) return { name, dtype: t.dtype, dims: t.dims, bytes, binarization: 'would-binarize', binaryDistance: binaryDistance(t) };
  return { name, dtype: t.dtype, dims: t.dims, bytes, binarization: 'keep' };
}

/** A tensor described without any binarization verdict (name, dtype, shape, bytes). */
function keptTensorInfo(name: string, t: Tensor): TensorInfo {
  return { name, dtype: t.dtype, dims: t.dims, bytes: t.data.length * DTYPE_BYTES[t.dtype], binarization: 'keep' };
}

/**
 * What `onebit convert` would do to each weight of an ONNX model with default options (the same
 * planBinarization call), so inspect and convert always agree.
 */
function onnxPlan(m: OnnxModel): { layers: readonly LayerReport[]; lines: string[] } {
  let layers: readonly LayerReport[];
  try {
    layers = planBinarization(m).layers;
  } catch (e) {
    return { layers: [], lines: [`binarize     not convertible: ${(e as Error).message}`] };
  }
  const n = (a: LayerReport['action']) => layers.filter((l) => l.action === a).length;
  const head = `binarize     convert would binarize ${n('binarized')}, pack ${n('already-binary')} already binary, keep ${n('kept')} of ${layers.length} weights`;
  return { layers, lines: [head, ...layers.map((l) => `  ${(l.action === 'binarized' ? 'binarize' : l.action === 'already-binary' ? 'binary' : 'keep').padEnd(9)} ${l.name.padEnd(30)} ${l.opType.padEnd(13)} ${l.rule}`)] };
}

/** An ONNX initializer, marked by the conversion plan (a weight's name is the initializer it comes from). */
function onnxTensorInfo(name: string, t: Tensor, layers: readonly LayerReport[]): TensorInfo {
  const base = tensorInfo(name, t);
  const l = layers.find((x) => x.name === name && x.action !== 'kept');
  if (!l) return keptTensorInfo(name, t);
  if (l.action === 'already-binary') return { name, dtype: t.dtype, dims: t.dims, bytes: base.bytes, binarization: 'binary' };
  return { name, dtype: t.dtype, dims: t.dims, bytes: base.bytes, binarization: 'would-binarize', binaryDistance: l.binaryDistance ?? binaryDistance(t) };
}

/** An ONNX initializer whose bytes live in an external file: sized from its shape, not loaded. */
function externalTensorInfo(name: string, t: Tensor, location: string): TensorInfo {
  const bytes = elementCount(t.dims) * DTYPE_BYTES[t.dtype];
  const isFloat = t.dtype === 'float32' || t.dtype === 'float16' || t.dtype === 'bfloat16' || t.dtype === 'float64';
  return { name, dtype: t.dtype, dims: t.dims, bytes, binarization: isFloat && t.dims.length >= 2 ? 'would-binarize' : 'keep', external: location };
}

function tensorLines(tensors: TensorInfo[]): string[] {
  const rows = tensors.map((t) => {
    const where = t.external ? `in ${t.external}` : '';
    const verdict = t.signBitsOf ? `binary: sign bits of ${t.signBitsOf.name} ${formatDims(t.signBitsOf.dims)}` : t.binarization === 'binary' ? 'binary' : t.binarization === 'would-binarize' ? (t.binaryDistance === undefined ? 'would binarize' : `would binarize (distance from ±a ${t.binaryDistance.toFixed(3)})`) : '';
    const note = [where, verdict].filter(Boolean).join('; ');
    return `  ${t.name.padEnd(40)} ${t.dtype.padEnd(8)} ${formatDims(t.dims).padEnd(18)} ${t.bytes.toLocaleString('en-US').padStart(12)} B  ${note}`.trimEnd();
  });
  const total = tensors.reduce((s, t) => s + t.bytes, 0);
  return [`tensors (${tensors.length}, ${total.toLocaleString('en-US')} bytes):`, ...rows];
}

/**
 * What `bytes` is and holds: format, metadata, every tensor (dtype, dims, bytes, binarization
 * verdict) and printable lines. `options.limits` raises the readers' limits for trusted large files.
 * Throws the readers' typed errors (FormatError, LimitError, UnsupportedError, WrongFileError).
 */
export function inspectModel(bytes: Uint8Array, fileName = 'the file', options: { readonly limits?: ReaderLimits } = {}): ModelDescription {
  const limits = options.limits ?? {};
  const tensorLimit = limits.maxTensorBytes !== undefined ? { maxTensorBytes: limits.maxTensorBytes } : {};
  const format = detectFormat(bytes, fileName);
  const head = [`file         ${fileName} (${bytes.length.toLocaleString('en-US')} bytes)`, `format       ${FORMAT_NAMES[format]}`];
  const base = { format, formatName: FORMAT_NAMES[format], bytes: bytes.length };
  switch (format) {
    case 'mat': {
      const mat = readMat(bytes, limits);
      const lines = [...head, `header       ${mat.header}`, 'variables:', ...describeMat(mat).map((l) => `  ${l}`)];
      const metadata: Record<string, unknown> = { header: mat.header };
      try {
        const net = readWrnFromMat(mat, fileName);
        const { convs, weights } = countWeights(net);
        metadata['network'] = { family: net.family, convLayers: convs, binaryWeights: weights, numClasses: net.numClasses, ...net.notes };
        lines.push(`network      ${net.family}: ${convs} binary conv layers, ${weights.toLocaleString('en-US')} binary weights, ${net.numClasses} classes`);
        if (net.scale) lines.push(`scale        ${net.scale}`);
        lines.push('layers:', ...networkLayerLines(net));
      } catch (e) {
        lines.push(`network      not convertible: ${(e as Error).message}`);
      }
      return { ...base, metadata, tensors: [], lines };
    }
    case 'onnx': {
      const m = decodeModel(bytes, fileName, tensorLimit);
      const ops = new Map<string, number>();
      for (const n of m.graph.nodes) ops.set(n.opType, (ops.get(n.opType) ?? 0) + 1);
      // onebit's own packed weights are recognised (and planned) as the binary weights they decode to;
      // every other initializer, batch-norm vectors included, is marked only by the conversion plan.
      const lifted = liftBinaryWeights(m);
      const plan = onnxPlan(lifted.model);
      const inits = new Set(m.graph.initializers.map((i) => i.name));
      const stacked = [...lifted.weights].filter(([name]) => !inits.has(`${name}.bits`));
      const tensors = m.graph.initializers.map((i) => {
        if (i.externalData) return externalTensorInfo(i.name, i.tensor, i.externalData.location);
        const packed = i.name.endsWith('.bits') ? lifted.weights.get(i.name.slice(0, -'.bits'.length)) : undefined;
        if (packed) return { ...keptTensorInfo(i.name, i.tensor), binarization: 'binary' as const, signBitsOf: { name: i.name.slice(0, -'.bits'.length), dims: packed.dims } };
        if (i.name === STACKED_BITS_NAME && stacked.length > 0) {
          // the stacked layout: one tensor holds the sign bits of every weight
          const of = `${stacked.length} weights ${stacked[0]![0]} … ${stacked[stacked.length - 1]![0]}, stacked, elements`;
          return { ...keptTensorInfo(i.name, i.tensor), binarization: 'binary' as const, signBitsOf: { name: of, dims: [stacked.reduce((a, [, w]) => a + elementCount(w.dims), 0)] } };
        }
        return onnxTensorInfo(i.name, i.tensor, plan.layers);
      });
      const io = (v: { name: string; elemType?: string; dims?: Array<number | string | undefined> }) => `${v.name} ${v.elemType ?? 'untyped'}[${(v.dims ?? []).map((d) => d ?? '?').join(', ')}]`;
      return {
        ...base,
        metadata: { irVersion: m.irVersion, opset: m.opsetImports, producer: m.producerName, ...m.metadata },
        tensors,
        lines: [
          ...head,
          `producer     ${m.producerName || '?'} ${m.producerVersion}; IR ${m.irVersion}; opsets ${m.opsetImports.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}`,
          `inputs       ${m.graph.inputs.map(io).join('; ')}`,
          `outputs      ${m.graph.outputs.map(io).join('; ')}`,
          `nodes        ${m.graph.nodes.length}: ${[...ops].map(([k, v]) => `${k}×${v}`).join(' ')}`,
          ...Object.entries(m.metadata).map(([k, v]) => `metadata     ${k} = ${v}`),
          ...tensorLines(tensors),
          ...plan.lines,
          ...(tensors.some((t) => t.external) ? ['             (inspect does not load external data; convert loads it and decides those weights by the same rules)'] : []),
        ],
      };
    }
    case 'torch-zip':
    case 'torch-legacy': {
      const ckpt = readTorch(bytes, limits);
      const family = isBinaryWideResnet(ckpt.tensors.keys()) ? describeBinaryWideResnet(ckpt.tensors, fileName) : undefined;
      const tensors = [...ckpt.tensors].map(([n, t]) => family?.verdicts.get(n) ?? tensorInfo(n, t));
      return {
        ...base,
        metadata: { stateDictKey: ckpt.stateDictKey, ...ckpt.metadata, ...(family ? { network: family.network } : {}) },
        tensors,
        lines: [
          ...head,
          `state_dict   ${ckpt.stateDictKey ? `under '${ckpt.stateDictKey}'` : 'at the top level'}`,
          ...Object.entries(ckpt.metadata).map(([k, v]) => `metadata     ${k} = ${v}`),
          ...(family?.lines ?? []),
          ...tensorLines(tensors),
        ],
      };
    }
    case 'safetensors': {
      const st = readSafetensors(bytes, tensorLimit);
      const tensors = [...st.tensors].map(([n, t]) => tensorInfo(n, t));
      return { ...base, metadata: st.metadata, tensors, lines: [...head, ...Object.entries(st.metadata).map(([k, v]) => `metadata     ${k} = ${v}`), ...tensorLines(tensors)] };
    }
    case 'onebit': {
      const c = readContainer(bytes);
      const tensors: TensorInfo[] = c.tensors.map((t) =>
        t.role === 'binary-weight'
          ? { name: t.name, dtype: 'bit', dims: t.weight.dims, bytes: t.weight.bits.length, binarization: 'binary' as const }
          : // The container says which tensors are binary weights; the rest (batch-norm vectors, biases) are kept as they are.
            keptTensorInfo(t.name, t.tensor),
      );
      return { ...base, metadata: c.model, tensors, lines: [...head, `model        ${JSON.stringify(c.model)}`, ...tensorLines(tensors)] };
    }
  }
}

/**
 * A binary-wide-resnet state_dict: the network's depth, width, classes and which convs are binary
 * (block convs) or float (conv0, conv_last), and the tensor verdicts that follow from the family's
 * rule rather than from shapes; a checkpoint that does not read says why.
 */
function describeBinaryWideResnet(tensors: ReadonlyMap<string, Tensor>, fileName: string): { network: Record<string, unknown>; lines: string[]; verdicts: Map<string, TensorInfo> } {
  // By the family's rule, not by shape: conv0 and conv_last stay float; uint8 block convs are sign bits.
  const verdicts = new Map<string, TensorInfo>();
  for (const [name, t] of tensors) {
    const bare = name.replace(/^module\./, '');
    const bytes = tensorInfo(name, t).bytes;
    if (bare === 'conv0' || bare === 'conv_last') verdicts.set(name, { name, dtype: t.dtype, dims: t.dims, bytes, binarization: 'keep' });
    else if (/^group\d+\.block\d+\.conv[01]$/.test(bare) && t.dtype === 'uint8') verdicts.set(name, { name, dtype: t.dtype, dims: t.dims, bytes, binarization: 'binary' });
  }
  let net;
  try {
    net = readBinaryWideResnet(tensors, fileName);
  } catch (e) {
    return { network: { family: 'binary-wide-resnet', error: (e as Error).message }, lines: [`network      binary-wide-resnet, not convertible: ${(e as Error).message}`], verdicts };
  }
  const convs = net.blocks.flatMap((b) => [b.conv0, b.conv1]);
  const weights = convs.reduce((s, c) => s + c.weight.dims.reduce((a, d) => a * d, 1), 0);
  const stored = net.stored === 'packed' ? 'packed release (np.packbits sign bits)' : net.stored === 'latent' ? 'training checkpoint (latent float weights)' : 'latent and packed block convs';
  const zeros = latentZerosRemark(net);
  return {
    network: { family: net.family, depth: net.depth, width: net.width, classes: net.numClasses, stored: net.stored, binaryConvs: convs.map((c) => c.name), floatConvs: ['conv0', 'conv_last'], binaryWeights: weights, latentZeros: net.latentZeros },
    lines: [
      `network      binary-wide-resnet: depth ${net.depth}, width ${net.width} (${net.channels.join('/')} channels), ${net.numClasses} classes; ${stored}; preprocess cifar-wrn`,
      `binary convs ${convs.length} (${weights.toLocaleString('en-US')} weights): ${convs.map((c) => c.name).join(', ')}`,
      'float convs  conv0 (first), conv_last (1×1 classifier)',
      ...(zeros ? [`sign(0)      ${zeros}`] : []),
    ],
    verdicts,
  };
}

/** One line per binary conv of an authors' network: name, ONNX weight shape, stride, padding, scale. */
function networkLayerLines(net: WrnNetwork): string[] {
  return net.layers.flatMap((l) => {
    if (l.op !== 'conv') return [];
    const scale = typeof l.weight.scale === 'number' ? l.weight.scale.toPrecision(6) : 'per channel';
    return [`  ${l.name.padEnd(8)} ${formatDims(l.weight.dims).padEnd(18)} stride ${l.strides[0]}  pad ${l.pads[0]}  scale ${scale}`];
  });
}
