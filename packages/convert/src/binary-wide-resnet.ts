/**
 * The szagoruyko/binary-wide-resnet importer of `onebit convert`: a state_dict of that family (its
 * training checkpoint or its packed release; see @onebit/wrn's binary-wide-resnet.ts) needs no ONNX
 * graph — onebit builds the network itself and emits it packed or float, with a report that names
 * every conv (binary or float) and how many latent weights are exactly 0 (the repository deploys
 * them as 0, onebit as +1).
 */
import type { Tensor } from '@onebit/core';
import { encodeModel, replaceWithBinaryWeights } from '@onebit/onnx';
import type { BinarizationReport, LayerReport } from '@onebit/onnx-binarize';
import { BINARY_WIDE_RESNET_INPUT, BINARY_WIDE_RESNET_PREPROCESS, binaryWideResnetToOnnx, readBinaryWideResnet, type BinaryWideResnet } from '@onebit/wrn';
import type { GraphConversionResult, GraphConvertOptions } from './convert-graph.js';

export { isBinaryWideResnet } from '@onebit/wrn';

/** One sentence on the latent weights that are exactly 0, or undefined for a packed release. */
export function latentZerosRemark(net: BinaryWideResnet): string | undefined {
  if (net.stored === 'packed') return undefined;
  const where = net.blocks.flatMap((b) => [b.conv0, b.conv1]).filter((c) => c.latentZeros > 0).map((c) => `${c.name} ${c.latentZeros}`);
  return net.latentZeros === 0
    ? 'no latent weight is exactly 0, so sign(w) is ±1 everywhere, as in the repository.'
    : `${net.latentZeros} latent weight${net.latentZeros === 1 ? ' is' : 's are'} exactly 0 (${where.join(', ')}): the repository's sign() deploys them as 0, one bit cannot, and onebit uses sign(0) = +1, so logits can differ slightly from the repository's forward pass.`;
}

/** The conv-by-conv report: conv0 and conv_last kept float, block convs binarized (latent) or already binary (packed). */
function report(net: BinaryWideResnet, weights: 'packed' | 'float'): BinarizationReport {
  const kept = (name: string, dims: readonly number[], what: string): LayerReport => ({ name: `${name}.weight`, opType: 'Conv', node: name, dims: [...dims], dtype: 'float32', action: 'kept', rule: `${what}, float in binary-wide-resnet` });
  const layers: LayerReport[] = [kept('conv0', net.conv0.dims, 'first conv')];
  let binaryWeights = 0;
  for (const c of net.blocks.flatMap((b) => [b.conv0, b.conv1])) {
    binaryWeights += c.weight.dims.reduce((a, d) => a * d, 1);
    const rule = c.stored === 'packed' ? 'np.packbits sign bits' : `sign(latent)·sqrt(2/fan_in)${c.latentZeros ? `, ${c.latentZeros} exact 0 → +1` : ''}`;
    layers.push({ name: `${c.name}.weight`, opType: 'Conv', node: c.name, dims: [...c.weight.dims], dtype: 'float32', action: c.stored === 'packed' ? 'already-binary' : 'binarized', rule, scale: c.weight.scale as number });
  }
  layers.push(kept('conv_last', net.convLast.dims, 'last conv'));
  const count = (a: LayerReport['action']) => layers.filter((l) => l.action === a).length;
  return { scaleRule: 'he', weights, layers, binarized: count('binarized'), alreadyBinary: count('already-binary'), kept: count('kept'), binaryWeights, declaredByGraph: false, evidence: { verdict: 'unknown', layers: 0 } };
}

/**
 * Converts the state_dict `tensors` of a binary-wide-resnet checkpoint. The packed release and the
 * training checkpoint of the same weights give byte-identical ONNX (nothing file-specific enters the
 * model). Throws RangeError when graph-binarization options are given (this family has its own rule),
 * or a preprocess other than cifar-wrn; ModelError (from readBinaryWideResnet) naming a missing or
 * mis-shaped tensor.
 */
export function convertBinaryWideResnet(tensors: ReadonlyMap<string, Tensor>, inputFormat: string, options: GraphConvertOptions = {}): GraphConversionResult {
  const fileName = options.fileName ?? 'the checkpoint';
  const p = options.policy;
  if ((options.scale !== undefined && options.scale !== 'he') || options.includeGemm || p?.keepFirst || p?.keepLast || p?.keep?.length || p?.binarize?.length) {
    throw new RangeError(`${fileName} is a binary-wide-resnet checkpoint, whose block convs are binary and first and last convs float by the repository's own rule; --scale, --keep*, --binarize and --include-gemm apply to ONNX graphs only.`);
  }
  if (options.preprocess !== undefined && options.preprocess !== BINARY_WIDE_RESNET_PREPROCESS) {
    throw new RangeError(`${fileName} is a binary-wide-resnet checkpoint, trained with the '${BINARY_WIDE_RESNET_PREPROCESS}' preprocessing of its create_dataset, not '${options.preprocess}'; leave out --preprocess.`);
  }
  const net = readBinaryWideResnet(tensors, fileName);
  const { source, binaryWeights } = binaryWideResnetToOnnx(net);
  const weights = options.weights ?? 'packed';
  const model = replaceWithBinaryWeights(source, binaryWeights, weights);
  const bytes = encodeModel(model);
  const binarization = report(net, weights);
  const remark = latentZerosRemark(net);
  const n = binarization.binaryWeights;
  return {
    model,
    bytes,
    source,
    binaryWeights,
    binarization,
    summary: {
      inputFormat,
      family: `${net.family}, depth ${net.depth}, width ${net.width} (${net.stored === 'packed' ? 'packed release' : net.stored === 'latent' ? 'training checkpoint, latent weights' : 'latent and packed convs'})`,
      weights,
      binaryLayers: binaryWeights.size,
      binaryWeights: n,
      numClasses: net.numClasses,
      inputShape: [...BINARY_WIDE_RESNET_INPUT],
      preprocess: BINARY_WIDE_RESNET_PREPROCESS,
      outputBytes: bytes.length,
      bitsPerWeight: (bytes.length * 8) / n,
      oneBitFloorBytes: Math.ceil(n / 8),
      notes: { depth: net.depth, width: net.width, classes: net.numClasses, stored: net.stored, latentZeros: net.latentZeros },
      ...(remark ? { remarks: [remark] } : {}),
    },
  };
}
