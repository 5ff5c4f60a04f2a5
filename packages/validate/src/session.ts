/**
 * What the node and wasm runners share: both drive an onnxruntime-common `InferenceSession`, so
 * checking a loaded model, timing its creation and running one batch are written once here against
 * that common API (a type-only import; each runtime package is loaded only by its own runner module).
 */
import { ModelError } from '@onebit/core';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { firstLine } from './first-line.js';
import type { Runner, RuntimeName } from './runner-types.js';

type TensorConstructor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;

/** Creates a session with `create`, wraps it as a Runner, and turns load failures into ModelErrors. */
export async function wrapSession(
  model: Uint8Array,
  runtime: RuntimeName,
  name: string,
  create: () => Promise<InferenceSession>,
  TensorClass: TensorConstructor,
): Promise<Runner> {
  const start = performance.now();
  let session: InferenceSession;
  try {
    session = await create();
  } catch (e) {
    throw new ModelError(`${name} could not load the ${model.length}-byte model: ${firstLine(e)}`, undefined, { cause: e });
  }
  const sessionCreationMs = performance.now() - start;
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  if (session.inputNames.length !== 1 || inputName === undefined || outputName === undefined) {
    await session.release();
    throw new ModelError(`The model has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; validation needs exactly one image input and an output.`, session.inputNames[1]);
  }
  return {
    name, runtime, inputName, outputName, sessionCreationMs,
    async run(input, dims) {
      let result: InferenceSession.OnnxValueMapType;
      try {
        result = await session.run({ [inputName]: new TensorClass('float32', input, dims) });
      } catch (e) {
        throw new ModelError(`${name} failed on input "${inputName}" of shape [${dims.join(', ')}]: ${firstLine(e)}`, inputName, { cause: e });
      }
      const out = result[outputName] as OrtTensor | undefined;
      if (!out || out.type !== 'float32') throw new ModelError(`Output "${outputName}" is ${out ? out.type : 'missing'}, not float32 logits.`, outputName);
      for (const key of Object.keys(result)) if (key !== outputName) (result[key] as OrtTensor).dispose?.();
      return out.data as Float32Array;
    },
    async dispose() {
      await session.release();
    },
  };
}
