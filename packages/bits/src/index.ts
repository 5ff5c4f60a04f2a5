/** @onebit/bits: the one-bit sign convention and its pack/unpack kernels, flat and row-padded. */
export * from './convention.js';
export * from './pack-flat.js';
export * from './row-layout.js';
export * from './pack-rows.js';
export * from './flat-rows.js';
export * from './binary-weight.js';
