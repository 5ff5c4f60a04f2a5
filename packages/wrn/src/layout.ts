/**
 * Moves MATLAB-stored conv weights into ONNX layout. MATLAB (MatConvNet) filters are
 * H×W×C_in×C_out in column-major order, and the Keras release saved [1,]kH×kW×C_in×C_out the
 * same way; ONNX wants C-order [C_out, C_in, kH, kW]. Both are cross-correlations with the first
 * filter axis running over image rows.
 */
import { ModelError } from '@onebit/core';

export interface ConvBits {
  /** 0/1 per weight in ONNX C order [C_out, C_in, kH, kW]. */
  readonly bits: Uint8Array;
  readonly dims: [number, number, number, number];
}

/** Reorders column-major [kH, kW, C_in, C_out] (leading singleton axes allowed) to C-order [C_out, C_in, kH, kW]. */
export function matlabFilterToOnnx(data: Uint8Array, matDims: readonly number[], name: string): ConvBits {
  const dims = [...matDims];
  while (dims.length > 4 && dims[0] === 1) dims.shift();
  while (dims.length < 4) dims.push(1); // MATLAB drops trailing singleton dimensions (e.g. C_out = 1)
  if (dims.length !== 4) throw new ModelError(`Conv weight '${name}' has MATLAB shape [${matDims.join(', ')}]; expected kH×kW×C_in×C_out.`, name);
  const [kh, kw, cin, cout] = dims as [number, number, number, number];
  if (data.length !== kh * kw * cin * cout) throw new ModelError(`Conv weight '${name}' holds ${data.length} values for shape [${matDims.join(', ')}].`, name);
  const out = new Uint8Array(data.length);
  let src = 0;
  // Walk the source in storage order (h fastest, then w, ci, co) and scatter into C order.
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      const base = (co * cin + ci) * kh * kw;
      for (let w = 0; w < kw; w++) {
        for (let h = 0; h < kh; h++) out[base + h * kw + w] = data[src++]!;
      }
    }
  }
  return { bits: out, dims: [cout, cin, kh, kw] };
}
