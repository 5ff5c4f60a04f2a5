/**
 * Resampling an interleaved 8-bit image to the model's input size with one documented filter:
 * Pillow's `Image.resize(size, BILINEAR)`, reproduced exactly by @onebit/core (the same function
 * `onebit validate` uses), so Node, browsers and validation see the same pixels.
 */
export { resizeBilinearPillow as resizeImage } from '@onebit/core';
