/** @onebit/image: the Node image decoder shared by validation and the Node runtime. */
export * from './decode.js';
