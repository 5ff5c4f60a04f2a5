/**
 * The engine's WebAssembly kernels (AssemblyScript, compiled with SIMD128 by `npm run build`).
 * Memory is managed by the TypeScript side: it reserves every buffer once with `alloc` at load,
 * then passes byte addresses. Activations are float32 NCHW planes of one image.
 *
 * Binary convolution is a table-lookup kernel (the idea of LUT-based low-bit GEMM, e.g. T-MAC,
 * arXiv 2407.00088): for 4 input channels at one kernel tap and a strip of 8 output pixels, the
 * 16 signed sums ±x0±x1±x2±x3 are built once, then every output channel adds the entry its 4 sign
 * bits (one nibble) select — one lookup and add per 4 weights, no multiplications, weights kept
 * at one bit each in the nibble layout described at `convBinary`.
 */

/** End of the last block alloc handed out (blocks are never freed). */
let top: usize = __heap_base;

/**
 * Reserve `bytes` bytes (16-byte aligned) of linear memory, never freed. The memory grows by just
 * the pages the block needs (the stub runtime's heap.alloc doubles it), so its size is what the
 * engine uses, rounded up to 64 KiB. Traps when the memory cannot grow.
 */
export function alloc(bytes: usize): usize {
  const ptr = (top + 15) & ~(<usize>15);
  const end = ptr + bytes;
  const have = <usize>memory.size() << 16;
  if (end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) unreachable();
  top = end;
  return ptr;
}

/** Pixels per strip: output pixels handled together as two f32x4 vectors. */
const STRIP: i32 = 8;
/**
 * Table groups per chunk: 64 groups × 16 entries × 32 bytes = 32 KiB, a 32 KiB L1 data cache's
 * worth. WRN-20-10, one thread, three interleaved runs each (bench child, 2026-12-01): 16.0 images/s
 * at 32 groups, 16.4 at 48, 16.5 at 56–80, 15.5 at 96; Chromium 15.5 at 32, 16.0 at 64.
 */
const CHUNK: i32 = 64;
/** Bytes of convBinary's `tab` scratch (CHUNK tables), exported so the loader reserves exactly this. */
export const CONV_TABLE_BYTES: i32 = CHUNK * 512;

/**
 * Copy C planes of H×W floats at `x` into a padded buffer of Cp planes of Hp×Wp at `pad`, with the
 * image at row `pt`, column `pl` (rows/columns beyond Hp/Wp are cropped) and zeros around it and in
 * planes C…Cp−1. Only the border is zeroed, not the whole buffer first: the interior is copied over.
 */
export function padPlanes(x: usize, C: i32, H: i32, W: i32, pad: usize, Cp: i32, Hp: i32, Wp: i32, pt: i32, pl: i32): void {
  const rows = max(0, min(H, Hp - pt));
  const cols = max(0, min(W, Wp - pl));
  const plane = <usize>Hp * Wp * 4;
  const rowBytes = <usize>Wp * 4;
  for (let c = 0; c < C; c++) {
    const p = pad + <usize>c * plane;
    if (rows == 0 || cols == 0) {
      memory.fill(p, 0, plane);
      continue;
    }
    memory.fill(p, 0, <usize>pt * rowBytes);
    for (let r = 0; r < rows; r++) {
      const row = p + <usize>(r + pt) * rowBytes;
      memory.fill(row, 0, <usize>pl * 4);
      memory.copy(row + <usize>pl * 4, x + (<usize>(c * H + r) * W) * 4, <usize>cols * 4);
      memory.fill(row + <usize>(pl + cols) * 4, 0, <usize>(Wp - pl - cols) * 4);
    }
    memory.fill(p + <usize>(pt + rows) * rowBytes, 0, <usize>(Hp - pt - rows) * rowBytes);
  }
  if (Cp > C) memory.fill(pad + <usize>C * plane, 0, <usize>(Cp - C) * plane);
}

@inline function lo8(p: usize, sw: i32): v128 {
  if (sw == 1) return v128.load(p);
  const s = <usize>sw * 4;
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + s));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * s));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * s));
}

@inline function hi8(p: usize, sw: i32): v128 {
  return lo8(p + <usize>sw * 16, sw);
}

/**
 * Binary-weight 2-D convolution of one image and one group, from padded input planes.
 *
 * `pad`: Cp = 4·⌈C/4⌉ planes of Hp×Wp floats (padPlanes), Wp ≥ (OW8−1)·sw + (KW−1)·dw + 1 with
 * OW8 = OW rounded up to 8, Hp ≥ (OH−1)·sh + (KH−1)·dh + 1. `wn`: the weights' sign bits, one
 * nibble per (group g, output channel o) with g = (⌈c/4⌉·KH + ky)·KW + kx; byte g·Ob + ⌊o/2⌋ holds
 * o even in its low nibble; nibble bit j = sign of input channel 4·cg + j (1 = +1, 0 = −1; channels
 * beyond C read zeros). Ob = 2·⌈O/4⌉. y[o] = scale[o·scaleStep] · Σ ±x + (bias ? bias[o] : 0), O×OH×OW.
 * `pairs` ≠ 0 accumulates with accumulatePairs, else accumulateQuads (same outputs bit for bit; the
 * caller picks the faster for its JavaScript engine, see src/wasm.ts convPairs).
 * `tab`: CHUNK·512 bytes of scratch; `acc`: 32·⌈O/4⌉·4 bytes of scratch. Computes output rows
 * [oy0, oy1) only, so threads can each take rows (each with its own tab and acc).
 */
export function convBinary(
  pad: usize, Cp: i32, Hp: i32, Wp: i32,
  y: usize, O: i32, OH: i32, OW: i32,
  wn: usize, scale: usize, scaleStep: i32, bias: usize,
  KH: i32, KW: i32, sh: i32, sw: i32, dh: i32, dw: i32, pairs: i32,
  tab: usize, acc: usize, oy0: i32, oy1: i32,
): void {
  const G = (Cp >> 2) * KH * KW;
  const Ob = ((O + 3) >> 2) << 1;
  const plane = <usize>Hp * Wp * 4;
  const KK = KH * KW;
  for (let oy = oy0; oy < oy1; oy++) {
    for (let sx = 0; sx < OW; sx += STRIP) {
      for (let g0 = 0; g0 < G; g0 += CHUNK) {
        const gEnd = min(G, g0 + CHUNK);
        const first = g0 == 0;
        const last = gEnd == G;
        // Build the 16-entry tables for each group of this chunk.
        for (let g = g0; g < gEnd; g++) {
          const cg = g / KK;
          const t = g - cg * KK;
          const ky = t / KW;
          const kx = t - ky * KW;
          const iy = oy * sh + ky * dh;
          const ix = sx * sw + kx * dw;
          const p = pad + (<usize>((cg << 2) * Hp + iy) * Wp + ix) * 4;
          const tb = tab + <usize>(g - g0) * 512;
          for (let h = 0; h < 2; h++) {
            const q = p + <usize>h * 16 * sw;
            const a = lo8(q, sw);
            const b = lo8(q + plane, sw);
            const c = lo8(q + 2 * plane, sw);
            const d = lo8(q + 3 * plane, sw);
            const abP = f32x4.add(a, b);
            const abM = f32x4.sub(a, b);
            const cdP = f32x4.add(c, d);
            const cdM = f32x4.sub(c, d);
            const s0 = f32x4.neg(abP);
            const s2 = f32x4.neg(abM);
            const u0 = f32x4.neg(cdP);
            const u2 = f32x4.neg(cdM);
            // entry m = s[m & 3] + u[m >> 2]; s1 = abM (+a −b), s3 = abP; u1 = cdM, u3 = cdP.
            const e = tb + <usize>h * 16;
            v128.store(e + 0 * 32, f32x4.add(s0, u0));
            v128.store(e + 1 * 32, f32x4.add(abM, u0));
            v128.store(e + 2 * 32, f32x4.add(s2, u0));
            v128.store(e + 3 * 32, f32x4.add(abP, u0));
            v128.store(e + 4 * 32, f32x4.add(s0, cdM));
            v128.store(e + 5 * 32, f32x4.add(abM, cdM));
            v128.store(e + 6 * 32, f32x4.add(s2, cdM));
            v128.store(e + 7 * 32, f32x4.add(abP, cdM));
            v128.store(e + 8 * 32, f32x4.add(s0, u2));
            v128.store(e + 9 * 32, f32x4.add(abM, u2));
            v128.store(e + 10 * 32, f32x4.add(s2, u2));
            v128.store(e + 11 * 32, f32x4.add(abP, u2));
            v128.store(e + 12 * 32, f32x4.add(s0, cdP));
            v128.store(e + 13 * 32, f32x4.add(abM, cdP));
            v128.store(e + 14 * 32, f32x4.add(s2, cdP));
            v128.store(e + 15 * 32, f32x4.add(abP, cdP));
          }
        }
        const n = gEnd - g0;
        if (pairs) {
          accumulatePairs(wn + <usize>g0 * Ob, Ob, O, tab, n, acc, first, last, y, OH, OW, oy, sx, scale, scaleStep, bias);
        } else {
          accumulateQuads(wn + <usize>g0 * Ob, Ob, O, tab, n, acc, first, last, y, OH, OW, oy, sx, scale, scaleStep, bias);
        }
      }
    }
  }
}

/**
 * convBinary's accumulation over one chunk of n groups (tables at `tab`, weights' nibble rows from
 * `w`), 4 output channels × 8 pixels per step: 8 accumulators + 8 loaded entries. Where V8 allocates
 * 15 xmm registers (Node 20's V8 11) one accumulator is spilled to the stack on every group.
 */
@inline function accumulateQuads(w: usize, Ob: i32, O: i32, tab: usize, n: i32, acc: usize, first: bool, last: bool,
  y: usize, OH: i32, OW: i32, oy: i32, sx: i32, scale: usize, scaleStep: i32, bias: usize): void {
  for (let o = 0; o < O; o += 4) {
    const ap = acc + <usize>o * 32;
    let a0l = f32x4.splat(0), a0h = f32x4.splat(0), a1l = f32x4.splat(0), a1h = f32x4.splat(0);
    let a2l = f32x4.splat(0), a2h = f32x4.splat(0), a3l = f32x4.splat(0), a3h = f32x4.splat(0);
    if (!first) {
      a0l = v128.load(ap); a0h = v128.load(ap, 16);
      a1l = v128.load(ap, 32); a1h = v128.load(ap, 48);
      a2l = v128.load(ap, 64); a2h = v128.load(ap, 80);
      a3l = v128.load(ap, 96); a3h = v128.load(ap, 112);
    }
    let wp = w + (o >> 1);
    let tb = tab;
    for (let i = 0; i < n; i++) {
      const v = <usize>load<u16>(wp);
      // Nibble j times 32 (the entry size) in two integer ops: shift it to bits 5..8, mask.
      const e0 = tb + ((v << 5) & 0x1e0);
      const e1 = tb + ((v << 1) & 0x1e0);
      const e2 = tb + ((v >> 3) & 0x1e0);
      const e3 = tb + ((v >> 7) & 0x1e0);
      a0l = f32x4.add(a0l, v128.load(e0)); a0h = f32x4.add(a0h, v128.load(e0, 16));
      a1l = f32x4.add(a1l, v128.load(e1)); a1h = f32x4.add(a1h, v128.load(e1, 16));
      a2l = f32x4.add(a2l, v128.load(e2)); a2h = f32x4.add(a2h, v128.load(e2, 16));
      a3l = f32x4.add(a3l, v128.load(e3)); a3h = f32x4.add(a3h, v128.load(e3, 16));
      wp += <usize>Ob;
      tb += 512;
    }
    if (!last) {
      v128.store(ap, a0l); v128.store(ap, a0h, 16);
      v128.store(ap, a1l, 32); v128.store(ap, a1h, 48);
      v128.store(ap, a2l, 64); v128.store(ap, a2h, 80);
      v128.store(ap, a3l, 96); v128.store(ap, a3h, 112);
    } else {
      writeOut(y, O, OH, OW, oy, sx, o, a0l, a0h, scale, scaleStep, bias);
      writeOut(y, O, OH, OW, oy, sx, o + 1, a1l, a1h, scale, scaleStep, bias);
      writeOut(y, O, OH, OW, oy, sx, o + 2, a2l, a2h, scale, scaleStep, bias);
      writeOut(y, O, OH, OW, oy, sx, o + 3, a3l, a3h, scale, scaleStep, bias);
    }
  }
}

/**
 * The same sums in the same order as accumulateQuads (bit-identical outputs), 2 output channels ×
 * 8 pixels and two groups per step: 4 accumulators + 8 loaded entries, which V8 11 keeps in
 * registers (1.13–1.36× accumulateQuads there, bench/kernel-bench.mjs; in Chromium 156
 * accumulateQuads is ~1.1× this).
 */
@inline function accumulatePairs(w: usize, Ob: i32, O: i32, tab: usize, n: i32, acc: usize, first: bool, last: bool,
  y: usize, OH: i32, OW: i32, oy: i32, sx: i32, scale: usize, scaleStep: i32, bias: usize): void {
  for (let o = 0; o < O; o += 2) {
    const ap = acc + <usize>o * 32;
    let a0l = f32x4.splat(0), a0h = f32x4.splat(0), a1l = f32x4.splat(0), a1h = f32x4.splat(0);
    if (!first) {
      a0l = v128.load(ap); a0h = v128.load(ap, 16);
      a1l = v128.load(ap, 32); a1h = v128.load(ap, 48);
    }
    let wp = w + (o >> 1);
    let tb = tab;
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const u = <usize>load<u8>(wp);
      const v = <usize>load<u8>(wp + <usize>Ob);
      const e0 = tb + ((u << 5) & 0x1e0);
      const e1 = tb + ((u << 1) & 0x1e0);
      const f0 = tb + ((v << 5) & 0x1e0);
      const f1 = tb + ((v << 1) & 0x1e0);
      a0l = f32x4.add(a0l, v128.load(e0)); a0h = f32x4.add(a0h, v128.load(e0, 16));
      a1l = f32x4.add(a1l, v128.load(e1)); a1h = f32x4.add(a1h, v128.load(e1, 16));
      a0l = f32x4.add(a0l, v128.load(f0, 512)); a0h = f32x4.add(a0h, v128.load(f0, 528));
      a1l = f32x4.add(a1l, v128.load(f1, 512)); a1h = f32x4.add(a1h, v128.load(f1, 528));
      wp += <usize>Ob << 1;
      tb += 1024;
    }
    if (i < n) {
      const u = <usize>load<u8>(wp);
      const e0 = tb + ((u << 5) & 0x1e0);
      const e1 = tb + ((u << 1) & 0x1e0);
      a0l = f32x4.add(a0l, v128.load(e0)); a0h = f32x4.add(a0h, v128.load(e0, 16));
      a1l = f32x4.add(a1l, v128.load(e1)); a1h = f32x4.add(a1h, v128.load(e1, 16));
    }
    if (!last) {
      v128.store(ap, a0l); v128.store(ap, a0h, 16);
      v128.store(ap, a1l, 32); v128.store(ap, a1h, 48);
    } else {
      writeOut(y, O, OH, OW, oy, sx, o, a0l, a0h, scale, scaleStep, bias);
      writeOut(y, O, OH, OW, oy, sx, o + 1, a1l, a1h, scale, scaleStep, bias);
    }
  }
}

/** y[o][oy][sx..sx+7] = scale·acc + bias, clipped to OW and O. */
@inline function writeOut(y: usize, O: i32, OH: i32, OW: i32, oy: i32, sx: i32, o: i32, lo: v128, hi: v128, scale: usize, scaleStep: i32, bias: usize): void {
  if (o >= O) return;
  const s = f32x4.splat(scale ? load<f32>(scale + <usize>(o * scaleStep) * 4) : 1);
  const b = f32x4.splat(bias ? load<f32>(bias + <usize>o * 4) : 0);
  const l = f32x4.add(f32x4.mul(lo, s), b);
  const h = f32x4.add(f32x4.mul(hi, s), b);
  const p = y + (<usize>(o * OH + oy) * OW + sx) * 4;
  const rem = OW - sx;
  if (rem >= 8) {
    v128.store(p, l);
    v128.store(p, h, 16);
  } else {
    // Lane indices must be constants: store the valid prefix lane by lane (no shared scratch, so
    // threads writing different rows never touch the same bytes).
    store<f32>(p, f32x4.extract_lane(l, 0));
    if (rem > 1) store<f32>(p, f32x4.extract_lane(l, 1), 4);
    if (rem > 2) store<f32>(p, f32x4.extract_lane(l, 2), 8);
    if (rem > 3) store<f32>(p, f32x4.extract_lane(l, 3), 12);
    if (rem > 4) store<f32>(p, f32x4.extract_lane(h, 0), 16);
    if (rem > 5) store<f32>(p, f32x4.extract_lane(h, 1), 20);
    if (rem > 6) store<f32>(p, f32x4.extract_lane(h, 2), 24);
  }
}

/**
 * Float-weight 2-D convolution of one image and one group, from padded planes (as convBinary).
 * `wt`: weights transposed to [C·KH·KW][Op] float32 with Op = 4·⌈O/4⌉ (zeros beyond O).
 * `patch`: scratch of C·KH·KW·32 bytes (the strip's im2col rows).
 */
export function convFloat(
  pad: usize, C: i32, Hp: i32, Wp: i32,
  y: usize, O: i32, OH: i32, OW: i32,
  wt: usize, bias: usize,
  KH: i32, KW: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  patch: usize,
): void {
  const K = C * KH * KW;
  const KK = KH * KW;
  const Op = ((O + 3) >> 2) << 2;
  for (let oy = 0; oy < OH; oy++) {
    for (let sx = 0; sx < OW; sx += STRIP) {
      for (let k = 0; k < K; k++) {
        const c = k / KK;
        const t = k - c * KK;
        const ky = t / KW;
        const kx = t - ky * KW;
        const p = pad + (<usize>(c * Hp + oy * sh + ky * dh) * Wp + sx * sw + kx * dw) * 4;
        v128.store(patch + <usize>k * 32, lo8(p, sw));
        v128.store(patch + <usize>k * 32, hi8(p, sw), 16);
      }
      for (let o = 0; o < O; o += 4) {
        let a0l = f32x4.splat(0), a0h = f32x4.splat(0), a1l = f32x4.splat(0), a1h = f32x4.splat(0);
        let a2l = f32x4.splat(0), a2h = f32x4.splat(0), a3l = f32x4.splat(0), a3h = f32x4.splat(0);
        let wp = wt + <usize>o * 4;
        let pp = patch;
        for (let k = 0; k < K; k++) {
          const xl = v128.load(pp);
          const xh = v128.load(pp, 16);
          const w = v128.load(wp);
          const w0 = f32x4.splat(f32x4.extract_lane(w, 0));
          const w1 = f32x4.splat(f32x4.extract_lane(w, 1));
          const w2 = f32x4.splat(f32x4.extract_lane(w, 2));
          const w3 = f32x4.splat(f32x4.extract_lane(w, 3));
          a0l = f32x4.add(a0l, f32x4.mul(xl, w0)); a0h = f32x4.add(a0h, f32x4.mul(xh, w0));
          a1l = f32x4.add(a1l, f32x4.mul(xl, w1)); a1h = f32x4.add(a1h, f32x4.mul(xh, w1));
          a2l = f32x4.add(a2l, f32x4.mul(xl, w2)); a2h = f32x4.add(a2h, f32x4.mul(xh, w2));
          a3l = f32x4.add(a3l, f32x4.mul(xl, w3)); a3h = f32x4.add(a3h, f32x4.mul(xh, w3));
          wp += <usize>Op * 4;
          pp += 32;
        }
        writeOut(y, O, OH, OW, oy, sx, o, a0l, a0h, 0, 0, bias);
        writeOut(y, O, OH, OW, oy, sx, o + 1, a1l, a1h, 0, 0, bias);
        writeOut(y, O, OH, OW, oy, sx, o + 2, a2l, a2h, 0, 0, bias);
        writeOut(y, O, OH, OW, oy, sx, o + 3, a3l, a3h, 0, 0, bias);
      }
    }
  }
}

/**
 * y[i] = x[i]·a[c] + b[c] for C channels of `inner` floats each (a or b = 0: factor 1 / term 0;
 * aStep/bStep 0 broadcasts one value); relu ≠ 0 clamps at 0 afterwards. y may equal x.
 */
export function channelAffine(x: usize, y: usize, C: i32, inner: i32, a: usize, aStep: i32, b: usize, bStep: i32, relu: i32): void {
  const zero = f32x4.splat(0);
  for (let c = 0; c < C; c++) {
    const av = a ? load<f32>(a + <usize>(c * aStep) * 4) : <f32>1;
    const bv = b ? load<f32>(b + <usize>(c * bStep) * 4) : <f32>0;
    const A = f32x4.splat(av);
    const B = f32x4.splat(bv);
    const base = <usize>c * inner * 4;
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let v = f32x4.add(f32x4.mul(v128.load(x + base + <usize>i * 4), A), B);
      if (relu) v = f32x4.max(v, zero);
      v128.store(y + base + <usize>i * 4, v);
    }
    for (; i < inner; i++) {
      let v = load<f32>(x + base + <usize>i * 4) * av + bv;
      if (relu && !(v >= 0)) v = v != v ? v : 0;
      store<f32>(y + base + <usize>i * 4, v);
    }
  }
}

/** y[i] = a[i] + b[i] for n floats (y may alias a or b). */
export function addSame(a: usize, b: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + <usize>i * 4, f32x4.add(v128.load(a + <usize>i * 4), v128.load(b + <usize>i * 4)));
  for (; i < n; i++) store<f32>(y + <usize>i * 4, load<f32>(a + <usize>i * 4) + load<f32>(b + <usize>i * 4));
}

/** y[i] = a[i] · b[i] for n floats (y may alias a or b). */
export function mulSame(a: usize, b: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + <usize>i * 4, f32x4.mul(v128.load(a + <usize>i * 4), v128.load(b + <usize>i * 4)));
  for (; i < n; i++) store<f32>(y + <usize>i * 4, load<f32>(a + <usize>i * 4) * load<f32>(b + <usize>i * 4));
}

/**
 * ONNX AveragePool of C planes H×W at `x` into C planes OH×OW at `y`: window kh×kw at stride
 * sh×sw from row oy·sh − pt, column ox·sw − pl; the sum of the window's pixels inside the image,
 * added in row-major order in float32, divided by the window clipped to the padded input
 * (includePad ≠ 0, bottom/right pads pb/pr) or to the input (the divisors onnxruntime uses).
 */
export function avgPool2d(x: usize, C: i32, H: i32, W: i32, y: usize, OH: i32, OW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, pb: i32, pr: i32, includePad: i32): void {
  let yp = y;
  for (let c = 0; c < C; c++) {
    const xc = x + <usize>c * H * W * 4;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - pt;
      const ya = max(y0, 0), yb = min(y0 + kh, H);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * sw - pl;
        const xa = max(x0, 0), xb = min(x0 + kw, W);
        let s: f32 = 0;
        for (let iy = ya; iy < yb; iy++) {
          const row = xc + <usize>iy * W * 4;
          for (let ix = xa; ix < xb; ix++) s += load<f32>(row + <usize>ix * 4);
        }
        const count = includePad
          ? (min(y0 + kh, H + pb) - y0) * (min(x0 + kw, W + pr) - x0)
          : (yb - ya) * (xb - xa);
        store<f32>(yp, s / <f32>count);
        yp += 4;
      }
    }
  }
}

/**
 * ONNX MaxPool (as avgPool2d, with dilations dh×dw): the largest of the window's pixels inside the
 * image, NaN if any is NaN, −Infinity for a window wholly in the padding.
 */
export function maxPool2d(x: usize, C: i32, H: i32, W: i32, y: usize, OH: i32, OW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32): void {
  let yp = y;
  for (let c = 0; c < C; c++) {
    const xc = x + <usize>c * H * W * 4;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - pt;
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * sw - pl;
        let best: f32 = -Infinity;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y0 + ky * dh;
          if (iy < 0 || iy >= H) continue;
          const row = xc + <usize>iy * W * 4;
          for (let kx = 0; kx < kw; kx++) {
            const ix = x0 + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const v = load<f32>(row + <usize>ix * 4);
            if (v > best || v != v) best = v;
          }
        }
        store<f32>(yp, best);
        yp += 4;
      }
    }
  }
}
