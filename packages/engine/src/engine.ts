/**
 * Loads a converted ONNX model into the engine: recognises the packed 1-bit weights, checks every
 * node against the supported operators (an unsupported one is an UnsupportedOpError at load),
 * infers each value's shape for one image, plans the activation memory (buffers reused once their
 * last reader ran; element-wise ops in place) and builds the list of kernel calls. Images of a
 * batch then run one after another through the same memory. A model with fixed image dims is
 * planned at load; one with symbolic dims (e.g. [N, 3, H, W]) at its first run of each shape.
 */
import { elementCount, FormatError, LimitError, type Tensor } from '@onebit/core';
import type { OnnxModel, OnnxNode, ValueInfo } from '@onebit/onnx';
import { readModel } from '@onebit/onnx/read';
import { FOLD_ONLY_OPS, FOLDABLE_OPS, foldConstant, SHAPE_OF_ACTIVATION } from './const-fold.js';
import { UnsupportedOpError } from './errors.js';
import { fuseChannelAffineAt } from './fuse.js';
import type { BuildContext, OpBuild, PlanValue, StepIo } from './op-types.js';
import { OPS } from './ops/registry.js';
import { findPackedWeights, type PackedWeight, type PackedWeights } from './packed-weight.js';
import { KernelThreads, CONTROL_BYTES, MAX_THREADS, type WorkerLike } from './threads.js';
import { engineSharedModule, instantiateKernels, SHARED_MAX_PAGES, type EngineKernels } from './wasm.js';

/** The most linear memory one engine may plan (WebAssembly's 32-bit address space is 4 GiB). */
export const MAX_ENGINE_MEMORY = 2 ** 31;

/** End of the highest block allocated in each kernels' memory (the rest of it is never written). */
const allocatedEnd = new WeakMap<EngineKernels, number>();

/** Reserves `bytes` in `kernels`' memory, refusing a plan that would pass MAX_ENGINE_MEMORY. */
function allocChecked(kernels: EngineKernels, bytes: number, what: string): number {
  const total = (allocatedEnd.get(kernels) ?? 0) + bytes;
  if (!Number.isSafeInteger(bytes) || bytes < 0 || total > MAX_ENGINE_MEMORY) {
    throw new LimitError(`onebit engine: ${what} needs ${bytes} bytes, which would take its memory past the ${MAX_ENGINE_MEMORY}-byte limit.`);
  }
  const address = kernels.alloc(bytes);
  // Blocks are 16-byte aligned (assembly/index.ts alloc), so the next one starts at the rounded-up end.
  allocatedEnd.set(kernels, Math.max(allocatedEnd.get(kernels) ?? 0, Math.ceil((address + bytes) / 16) * 16));
  return address;
}

/** Memory figures of a loaded engine, in bytes (summed over its plans). */
export interface EngineMemory {
  /** The WebAssembly linear memory (everything the engine holds: weights, activations, scratch). */
  readonly wasmMemory: number;
  /**
   * The part of wasmMemory the engine has allocated (weights, activations, scratch, and the model
   * file's region when loaded by loadEngineInto); the rest was reserved and never written.
   */
  readonly wasmMemoryUsed: number;
  /** Binary weights as resident (nibble layout; one bit per weight plus channel padding to 4). */
  readonly binaryWeightBytes: number;
  /** Number of binary weights (their 1-bit floor is this ÷ 8 bytes). */
  readonly binaryWeightCount: number;
  /** Float weights, scales, biases and other constants copied into wasm memory. */
  readonly floatWeightBytes: number;
  /** Activation buffers and kernel scratch. */
  readonly activationBytes: number;
}

/** An activation buffer: a block of the plan's activation arena (resolved to an address once planned). */
interface Buffer {
  /** Byte offset in the arena. */
  readonly offset: number;
  readonly bytes: number;
  /** Live values stored here. */
  live: number;
  pinned: boolean;
}

/** The parsed graph, shared by every plan of an engine. */
interface LoadedGraph {
  /** The model; once a fixed-shape model is planned, its graph's nodes and tensors are dropped (see loadEngine). */
  readonly model: OnnxModel;
  /** Number of binary weights (kept when the graph is dropped). */
  readonly binaryWeightCount: number;
  readonly opset: number;
  readonly packed: PackedWeights;
  readonly nodes: readonly OnnxNode[];
  readonly input: ValueInfo;
  readonly kernels: EngineKernels;
  /** A float32 view of the kernels' memory, renewed when planning grew it. */
  f32(): Float32Array;
  /** Threads the engine was loaded for (1, or more with a shared memory). */
  readonly threads: number;
  /** Byte address of the threads' control block (threads > 1). */
  readonly control: number;
  /** The running worker threads (set by Engine.startThreads). */
  pool: { current?: KernelThreads };
  /**
   * The region of wasm memory holding the model file (loadEngineInto), which the first plan may
   * reuse: `buffer` is the memory's buffer the file was read into (the model's tensors are views
   * on it). When the memory is shared (it never detaches, so the plan cannot have to start again
   * from the file), packed weights' kernel layouts are written over their own bits there;
   * otherwise the activations and scratch go there once every weight has been read from it.
   */
  reuse?: FileRegion;
}

/** Where loadEngineInto read the model file into wasm memory (LoadedGraph.reuse). */
interface FileRegion {
  readonly address: number;
  readonly bytes: number;
  readonly buffer: ArrayBufferLike;
}

/** Options of loadEngine. */
export interface EngineOptions {
  /**
   * Threads for binary Conv (default 1). With more than 1 the engine's memory is a shared
   * WebAssembly.Memory (needs SharedArrayBuffer: Node, or a cross-origin-isolated page) and runs
   * on one thread until Engine.startThreads has started the workers. At most MAX_THREADS.
   */
  threads?: number;
}

/** One image shape's kernel calls and addresses. */
interface Plan {
  readonly steps: Array<() => void>;
  readonly inputAddress: number;
  readonly inputDims: readonly number[];
  readonly outputs: ReadonlyArray<{ name: string; dims: readonly number[]; address: number }>;
  readonly weightBytes: number;
  readonly binaryBytes: number;
  readonly activationBytes: number;
}

/** A model loaded into the engine (by loadEngine), ready to classify. */
export class Engine {
  private readonly plans = new Map<string, Plan>();

  /** @internal Use loadEngine. */
  constructor(private readonly g: LoadedGraph, first?: Plan) {
    if (first) this.plans.set(first.inputDims.join(','), first);
  }

  /** The graph input's name. */
  get inputName(): string {
    return this.g.input.name;
  }

  /** The graph outputs' names, in graph order. */
  get outputNames(): string[] {
    return this.g.model.graph.outputs.map((o) => o.name);
  }

  /** The model's metadata_props (e.g. onebit.preprocess). */
  get metadata(): Readonly<Record<string, string>> {
    return this.g.model.metadata;
  }

  /** The input's declared shape: numbers for fixed dims, names for symbolic ones. */
  get inputShape(): ReadonlyArray<number | string | undefined> {
    return this.g.input.dims ?? [];
  }

  get memory(): EngineMemory {
    const plans = [...this.plans.values()];
    const sum = (f: (p: Plan) => number) => plans.reduce((s, p) => s + f(p), 0);
    return {
      wasmMemory: this.g.kernels.memory.buffer.byteLength,
      wasmMemoryUsed: allocatedEnd.get(this.g.kernels) ?? 0,
      binaryWeightBytes: sum((p) => p.binaryBytes),
      binaryWeightCount: this.g.binaryWeightCount,
      floatWeightBytes: sum((p) => p.weightBytes - p.binaryBytes),
      activationBytes: sum((p) => p.activationBytes),
    };
  }

  /** Threads the engine was loaded for, and how many are running now. */
  get threads(): { loaded: number; running: number } {
    return { loaded: this.g.threads, running: this.g.pool.current ? this.g.threads : 1 };
  }

  /**
   * Starts the worker threads of an engine loaded with `threads` > 1: `spawn(i)` must return a
   * Worker (Web Worker or Node worker_threads) running `@onebit/engine/thread-worker` (in Node,
   * one that calls its startThread with the first message). Resolves when all are ready; run()
   * then splits every binary Conv's output rows across them. Outputs equal single-threaded ones
   * exactly (each value is computed by the same operations in the same order).
   * @throws RangeError when the engine was loaded single-threaded or threads already run.
   */
  async startThreads(spawn: (index: number) => WorkerLike): Promise<void> {
    if (this.g.threads < 2) throw new RangeError('engine: startThreads needs an engine loaded with threads > 1.');
    if (this.g.pool.current) throw new RangeError('engine: the threads already run.');
    this.g.pool.current = await KernelThreads.start(this.g.threads, this.g.kernels, engineSharedModule(), this.g.control, spawn);
  }

  /** Stops the worker threads (run() continues on the calling thread). */
  dispose(): void {
    this.g.pool.current?.stop();
    this.g.pool.current = undefined;
  }

  /** The plan for images of shape `imageDims` (planned now if new). */
  private plan(imageDims: readonly number[]): Plan {
    const key = imageDims.join(',');
    let p = this.plans.get(key);
    if (!p) {
      p = planGraph(this.g, imageDims);
      this.plans.set(key, p);
    }
    return p;
  }

  /**
   * Runs a batch: `input` holds float32 values of shape `dims` = [batch, …image dims] (NCHW).
   * Returns each graph output (graph order) as { dims: [batch, …], data }.
   * @throws RangeError when `input` does not hold ∏dims values or dims disagree with the model's
   *   fixed input dims; UnsupportedOpError when a new image shape cannot be planned.
   */
  run(input: Float32Array, dims: readonly number[]): Array<{ dims: number[]; data: Float32Array }> {
    const [batch = 0, ...image] = dims;
    const declared = this.inputShape.slice(1);
    if (dims.length !== this.inputShape.length || image.some((d, i) => typeof declared[i] === 'number' && declared[i] !== d) || input.length !== elementCount(dims)) {
      throw new RangeError(`engine input '${this.inputName}' of shape [${dims.join(', ')}] with ${input.length} values does not fit the model's [${this.inputShape.map((d) => d ?? '?').join(', ')}].`);
    }
    const p = this.plan(image);
    const per = elementCount(image);
    const outs = p.outputs.map((o) => ({ dims: [batch, ...o.dims], data: new Float32Array(batch * elementCount(o.dims)) }));
    const m = this.g.f32();
    for (let i = 0; i < batch; i++) {
      m.set(input.subarray(i * per, (i + 1) * per), p.inputAddress >> 2);
      for (const step of p.steps) step();
      p.outputs.forEach((o, j) => {
        const n = elementCount(o.dims);
        outs[j]!.data.set(m.subarray(o.address >> 2, (o.address >> 2) + n), i * n);
      });
    }
    return outs;
  }
}

function opsetOf(model: OnnxModel): number {
  const imp = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!imp) throw new FormatError('onnx', 'the model imports no default-domain operator set.');
  return imp.version;
}

/**
 * Loads an ONNX model (bytes or decoded) with a single float32 input [batch, …image dims].
 * @throws UnsupportedOpError naming the first node the engine cannot run (before any inference);
 *   FormatError for an inconsistent graph (a value read before it is produced, bad packed weight).
 */
export function loadEngine(model: Uint8Array | OnnxModel, options: EngineOptions = {}): Engine {
  const threads = checkThreads(options);
  const kernels = newKernels(threads);
  return loadParsed(model instanceof Uint8Array ? readModel(model) : model, kernels, threads, threads > 1 ? allocChecked(kernels, CONTROL_BYTES, 'the threads\' control block') : 0);
}

/**
 * Loads a model file of `byteLength` bytes that `fill` writes straight into the engine's
 * WebAssembly memory (in Node, `fs.readSync` into `into`; in a browser, the chunks of a fetch
 * stream), so no copy of the file lives in JavaScript memory waiting for the garbage collector.
 * The memory is shared wherever the environment allows (Node; a cross-origin-isolated page), and
 * then each packed weight's kernel layout is written over its own bits in the file's region; on
 * a non-shared memory the file's region holds the activations once the model is planned. Same
 * model rules and errors as loadEngine. A model with symbolic image dims, or (non-shared memory)
 * one whose weights outgrow the memory reserved up front (byteLength + 1 MiB), is loaded from a
 * copy of the file instead (correct, without the saving).
 * @throws RangeError when byteLength is not a safe integer ≥ 0; whatever `fill` throws;
 *   the errors of loadEngine.
 */
export async function loadEngineInto(byteLength: number, fill: (into: Uint8Array) => void | Promise<void>, options: EngineOptions = {}): Promise<Engine> {
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) throw new RangeError(`engine model file size ${byteLength} is not a whole number of bytes.`);
  // An empty file is bad data, reported as loadEngine reports it.
  if (byteLength === 0) return loadEngine(new Uint8Array(0), options);
  const threads = checkThreads(options);
  // A shared memory even for one thread where the environment allows it: it never detaches when
  // planning grows it, so the weights can be written over the file (see LoadedGraph.reuse).
  const kernels = newKernels(threads, true);
  const control = threads > 1 ? allocChecked(kernels, CONTROL_BYTES, 'the threads\' control block') : 0;
  const file = allocChecked(kernels, byteLength, 'the model file');
  // Reserve room for the weights now (as many bytes as the file, which holds them at about one bit
  // each, plus 1 MiB): growing a non-shared memory later would detach the views into the file that
  // the parsed model holds. Pages never written are never resident.
  const reserve = Math.ceil((byteLength + 2 ** 20) / 65536);
  if ((allocatedEnd.get(kernels) ?? 0) + reserve * 65536 <= MAX_ENGINE_MEMORY) kernels.memory.grow(reserve);
  const buffer = kernels.memory.buffer;
  await fill(new Uint8Array(buffer, file, byteLength));
  const fileCopy = () => new Uint8Array(kernels.memory.buffer, file, byteLength).slice();
  const m = readModel(new Uint8Array(buffer, file, byteLength));
  const image = m.graph.inputs.find((i) => !m.graph.initializers.some((t) => t.name === i.name))?.dims?.slice(1);
  if (!image?.every((d) => typeof d === 'number')) return loadEngine(fileCopy(), options);
  const engine = loadParsed(m, kernels, threads, control, { address: file, bytes: byteLength, buffer });
  // A grown non-shared memory detached the file's views while planning read them: start again
  // from a copy (the file's bytes are intact: with a non-shared memory nothing is written over
  // the file while planning, and the arena is only written by run()).
  if (!(buffer instanceof SharedArrayBuffer) && kernels.memory.buffer !== buffer) return loadEngine(fileCopy(), options);
  return engine;
}

function checkThreads(options: EngineOptions): number {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) throw new RangeError(`engine threads ${threads} is not an integer from 1 to ${MAX_THREADS}.`);
  if (threads > 1 && typeof SharedArrayBuffer === 'undefined') {
    throw new RangeError(`engine threads ${threads} need SharedArrayBuffer, which this environment lacks (a browser page must be cross-origin isolated: COOP same-origin and COEP require-corp); use threads: 1.`);
  }
  return threads;
}

/**
 * Kernels on a new memory: shared for threads > 1 (checkThreads made sure the environment has
 * SharedArrayBuffer), and for one thread when `preferShared` and the environment allows it
 * (SharedArrayBuffer present and, in a browser, the page cross-origin isolated).
 */
function newKernels(threads: number, preferShared = false): EngineKernels {
  const canShare = typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
  if (threads > 1 || (preferShared && canShare)) return instantiateKernels(new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true }));
  return instantiateKernels();
}

/** Checks `m`'s ops and plans it on `kernels` (see loadEngine); `reuse` as LoadedGraph.reuse. */
function loadParsed(m: OnnxModel, kernels: EngineKernels, threads: number, control: number, reuse?: FileRegion): Engine {
  const graph = m.graph;
  const opset = opsetOf(m);
  const packed = findPackedWeights(graph, opset);
  const nodes = graph.nodes.filter((n) => !packed.decodeNodes.has(n));
  for (const n of nodes) {
    if (n.domain !== '' && n.domain !== 'ai.onnx') throw new UnsupportedOpError(`${n.domain}.${n.opType}`, n.name || n.outputs[0]!);
  }
  // Check every op before doing any work, so an unsupported op is reported first and alone. An op
  // the engine only folds (const-fold.ts) must have constant inputs.
  const constant = new Set(graph.initializers.map((i) => i.name));
  for (const n of nodes) {
    const folds = n.opType === SHAPE_OF_ACTIVATION || (FOLDABLE_OPS.has(n.opType) && n.inputs.every((i) => !i || constant.has(i)));
    if (n.opType === 'Constant' || folds) {
      for (const o of n.outputs) constant.add(o);
      continue;
    }
    if (!OPS[n.opType]) {
      throw new UnsupportedOpError(n.opType, n.name || n.outputs[0]!, FOLD_ONLY_OPS.has(n.opType) ? 'inputs computed per image (the engine evaluates it only on constants, at load)' : undefined);
    }
  }
  const initNames = new Set(graph.initializers.map((i) => i.name));
  const runtimeInputs = graph.inputs.filter((i) => !initNames.has(i.name));
  if (runtimeInputs.length !== 1) throw new UnsupportedOpError('graph', graph.name, `${runtimeInputs.length} runtime inputs (the engine runs single-input models)`);
  const input = runtimeInputs[0]!;
  if (input.elemType !== 'float32' || !input.dims || input.dims.length < 1) {
    throw new UnsupportedOpError('graph', graph.name, `input '${input.name}' of type ${input.elemType} and shape [${(input.dims ?? []).join(', ')}] (needs float32 [batch, …])`);
  }
  const g: LoadedGraph = {
    model: m, opset, packed, nodes, input, kernels,
    binaryWeightCount: [...packed.weights.values()].reduce((s, w) => s + elementCount(w.dims), 0),
    f32: float32View(kernels),
    threads,
    control,
    pool: {},
    reuse,
  };
  const image = input.dims.slice(1);
  if (!image.every((d): d is number => typeof d === 'number')) return new Engine(g);
  const plan = planGraph(g, image);
  // Fixed image dims: this is the only plan there will be, and everything it needs is in wasm
  // memory, so drop the graph's nodes and tensors (the caller's model bytes can then be freed).
  const kept: LoadedGraph = {
    ...g,
    model: { ...m, graph: { ...m.graph, nodes: [], initializers: [], valueInfo: [] } },
    packed: { weights: new Map(), decodeNodes: new Set() },
    nodes: [],
    reuse: undefined,
  };
  return new Engine(kept, plan);
}

/** A function returning a float32 view of `kernels`' memory, renewed after the memory grew. */
function float32View(kernels: EngineKernels): () => Float32Array {
  // Its own scope, so the closure holds no reference to the model being loaded.
  let view = new Float32Array(kernels.memory.buffer);
  return () => (view.buffer === kernels.memory.buffer ? view : (view = new Float32Array(kernels.memory.buffer)));
}

/** An op's build with the addresses of its inputs and outputs (0: a constant or omitted input). */
interface Planned { build: OpBuild; inputs: number[]; outputs: number[] }

/**
 * The kernel calls of a plan. Its own scope, so the steps' closures reference only the scratch
 * addresses and never the planning state (which holds the model's tensors).
 */
function makeSteps(planned: readonly Planned[], scratch: ReadonlyMap<string, number>, f32: () => Float32Array, pool: { current?: KernelThreads }): Array<() => void> {
  return planned.map((p) => {
    const io: StepIo = {
      inputs: p.inputs,
      outputs: p.outputs,
      scratch: (key) => {
        const a = scratch.get(key);
        if (a === undefined) throw new Error(`engine: scratch '${key}' was not reserved`);
        return a;
      },
      f32,
      threads: () => pool.current,
    };
    return p.build.make(io);
  });
}

/** Plans `g` for images of shape `inDims` (without the batch axis). */
function planGraph(g: LoadedGraph, inDims: readonly number[]): Plan {
  const { kernels, opset, packed, nodes, input } = g;
  const graph = g.model.graph;
  const constants = new Map<string, Tensor>(graph.initializers.map((i) => [i.name, i.tensor]));
  let weightBytes = 0;
  let binaryBytes = 0;
  // Activations and scratch are laid out in one arena whose base is chosen after planning.
  let arenaBytes = 0;
  const constAddr = new Map<string, number>();
  const scratchSize = new Map<string, number>();
  const allocWeights = (bytes: number, binary = false) => {
    weightBytes += bytes;
    if (binary) binaryBytes += bytes;
    return allocChecked(kernels, Math.max(bytes, 1), 'a weight');
  };
  // Readers per value (graph outputs count as one more, so they are never freed).
  const readers = new Map<string, number>();
  for (const n of nodes) for (const i of n.inputs) if (i) readers.set(i, (readers.get(i) ?? 0) + 1);
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  for (const o of graphOutputs) readers.set(o, (readers.get(o) ?? 0) + 1);
  // Readers in the whole graph (`readers` counts down while planning): a weight's bits are
  // overwritten only when one node reads them.
  const uses = new Map(readers);
  // Packed weights written over their own bits in the file's region (then the arena cannot go there).
  const overFile = g.reuse && g.reuse.buffer instanceof SharedArrayBuffer ? g.reuse : undefined;
  let placedOverFile = 0;
  const placeBinaryWeight = (w: PackedWeight, bytes: number, write: (out: Uint8Array, bits: Uint8Array) => void): number => {
    const at = w.bits.byteOffset;
    const inFile = overFile !== undefined && w.bits.buffer === overFile.buffer && at >= overFile.address && at + w.bits.byteLength <= overFile.address + overFile.bytes;
    if (!inFile || bytes > w.bits.byteLength || uses.get(w.name) !== 1) {
      const addr = allocWeights(bytes, true);
      write(new Uint8Array(kernels.memory.buffer, addr, bytes), w.bits);
      return addr;
    }
    // The bits are first copied above every allocation (memory no block owns yet: later blocks
    // and the arena cover it), then the layout is written from that copy over them.
    const top = allocatedEnd.get(kernels) ?? 0;
    const need = top + w.bits.byteLength - kernels.memory.buffer.byteLength;
    if (need > 0) kernels.memory.grow(Math.ceil(need / 65536));
    const copy = new Uint8Array(kernels.memory.buffer, top, w.bits.byteLength);
    copy.set(w.bits);
    write(new Uint8Array(kernels.memory.buffer, at, bytes), copy);
    weightBytes += bytes;
    binaryBytes += bytes;
    placedOverFile++;
    return at;
  };
  const ctx: BuildContext = {
    kernels,
    opset,
    allocWeights,
    placeBinaryWeight,
    constantAddress: (v: PlanValue) => {
      const known = constAddr.get(v.name);
      if (known !== undefined) return known;
      if (v.constant?.dtype !== 'float32') throw new FormatError('onnx', `constant '${v.name}' is ${v.constant?.dtype ?? 'not a constant'}, expected float32.`);
      const data = v.constant.data as Float32Array;
      const addr = allocWeights(data.byteLength);
      new Float32Array(kernels.memory.buffer, addr, data.length).set(data);
      constAddr.set(v.name, addr);
      return addr;
    },
    scratch: (key, bytes) => scratchSize.set(key, Math.max(scratchSize.get(key) ?? 0, bytes)),
    threads: g.threads,
  };


  const values = new Map<string, PlanValue>();
  const buffers = new Map<string, Buffer>();
  const pool: Buffer[] = [];
  const take = (bytes: number): Buffer => {
    const need = Math.max(16, Math.ceil(bytes / 16) * 16);
    let best = -1;
    pool.forEach((b, i) => {
      if (b.bytes >= need && (best < 0 || b.bytes < pool[best]!.bytes)) best = i;
    });
    if (best >= 0) {
      const b = pool.splice(best, 1)[0]!;
      b.live = 1;
      return b;
    }
    const b = { offset: arenaBytes, bytes: need, live: 1, pinned: false };
    arenaBytes += need;
    return b;
  };
  const release = (name: string) => {
    const b = buffers.get(name);
    if (!b) return;
    b.live--;
    if (b.live === 0 && !b.pinned) pool.push(b);
  };

  const inBuf = take(elementCount(inDims as number[]) * 4);
  inBuf.pinned = true;
  values.set(input.name, { name: input.name, dims: [1, ...(inDims as number[])] });
  buffers.set(input.name, inBuf);
  for (const [name, t] of constants) values.set(name, { name, dims: t.dims, constant: t });
  for (const [name, w] of packed.weights) values.set(name, { name, dims: w.dims, packed: w });

  const planned: Array<{ build: OpBuild; inputs: Array<Buffer | undefined>; outputs: Buffer[] }> = [];
  const fuseCtx = {
    readers,
    constants,
    dimsOf: (v: string) => (values.get(v)?.constant ? undefined : values.get(v)?.dims),
  };
  for (let i = 0; i < nodes.length; ) {
    const fused = fuseChannelAffineAt(nodes, i, fuseCtx);
    const node: OnnxNode = fused?.node ?? nodes[i]!;
    i += fused?.count ?? 1;
    const where = node.name || node.outputs[0]!;
    if (node.opType === 'Constant') {
      const v = node.attributes.value;
      if (v?.type !== 'tensor') throw new UnsupportedOpError('Constant', where, 'a value other than a tensor');
      constants.set(node.outputs[0]!, v.value.tensor);
      values.set(node.outputs[0]!, { name: node.outputs[0]!, dims: v.value.tensor.dims, constant: v.value.tensor });
      continue;
    }
    const ins = node.inputs.map((name, j) => {
      if (!name) return undefined;
      const v = values.get(name);
      if (!v) throw new FormatError('onnx', `node '${where}' (${node.opType}) reads '${name}' (input ${j}), which no earlier node, initializer or graph input produces.`);
      return v;
    });
    if (node.opType === SHAPE_OF_ACTIVATION || (FOLDABLE_OPS.has(node.opType) && ins.every((v) => !v || v.constant))) {
      const t = foldConstant(node, ins.map((v) => v?.constant), opset, ins[0]?.dims);
      constants.set(node.outputs[0]!, t);
      values.set(node.outputs[0]!, { name: node.outputs[0]!, dims: t.dims, constant: t });
      continue;
    }
    const build = OPS[node.opType]!(node, ins as PlanValue[], ctx);
    const inBufs = node.inputs.map((name) => (name ? buffers.get(name) : undefined));
    const outBufs: Buffer[] = [];
    node.outputs.forEach((name, j) => {
      const dims = build.outputs[j];
      if (!name || !dims) return;
      values.set(name, { name, dims });
      let buf: Buffer;
      const src = node.inputs[build.inPlace ?? -1];
      const srcBuf = src ? buffers.get(src) : undefined;
      if (j === 0 && build.alias) {
        buf = buffers.get(node.inputs[0]!)!;
        buf.live++;
      } else if (j === 0 && src && srcBuf && readers.get(src) === 1 && srcBuf.live === 1 && !srcBuf.pinned && node.inputs.filter((x) => x === src).length === 1 && srcBuf.bytes >= elementCount(dims) * 4) {
        buf = srcBuf;
        buf.live++;
      } else {
        buf = take(elementCount(dims) * 4);
      }
      buffers.set(name, buf);
      outBufs.push(buf);
      if (graphOutputs.has(name)) buf.pinned = true;
    });
    for (const name of node.inputs) {
      if (!name) continue;
      const left = readers.get(name)! - 1;
      readers.set(name, left);
      if (left === 0) release(name);
    }
    for (const name of node.outputs) if (name && readers.get(name) === undefined) release(name);
    planned.push({ build, inputs: inBufs, outputs: outBufs });
  }

  const outputs = graph.outputs.map((o) => {
    const v = values.get(o.name);
    const b = buffers.get(o.name);
    if (!v || !b) throw new UnsupportedOpError('graph', graph.name, `output '${o.name}' that no node computes`);
    if (v.dims[0] !== 1) throw new UnsupportedOpError('graph', graph.name, `output '${o.name}' of shape [${v.dims.join(', ')}] per image (no batch axis)`);
    return { name: o.name, dims: v.dims.slice(1), buffer: b };
  });

  const scratchOffsets = new Map<string, number>();
  for (const [key, bytes] of scratchSize) {
    scratchOffsets.set(key, arenaBytes);
    arenaBytes += Math.max(16, Math.ceil(bytes / 16) * 16);
  }
  // The arena goes into the model file's old region when no weight was written there and it fits
  // (that region is dead now: every weight has been copied out of it and the graph is dropped
  // after this first plan), else it is new memory.
  const reuse = g.reuse && placedOverFile === 0 && arenaBytes <= g.reuse.bytes ? g.reuse : undefined;
  const base = reuse ? reuse.address : allocChecked(kernels, Math.max(16, arenaBytes), 'the activations and scratch');
  const at = (b: Buffer | undefined) => (b ? base + b.offset : 0);
  const scratch = new Map([...scratchOffsets].map(([key, offset]) => [key, base + offset] as const));
  return {
    steps: makeSteps(planned.map((p) => ({ build: p.build, inputs: p.inputs.map(at), outputs: p.outputs.map(at) })), scratch, g.f32, g.pool),
    inputAddress: at(inBuf),
    inputDims: [...inDims],
    outputs: outputs.map((o) => ({ name: o.name, dims: o.dims, address: at(o.buffer) })),
    weightBytes,
    binaryBytes,
    activationBytes: arenaBytes,
  };
}
