/** @onebit/bits: the one-bit sign convention and its pack/unpack kernels. */
export * from './convention.js';
export * from './pack-flat.js';
export * from './binary-weight.js';
