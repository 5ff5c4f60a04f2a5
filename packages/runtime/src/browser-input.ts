/** The browser entry's imageToInput (see image-input.ts), in a module without onnxruntime so it loads on its own. */
import { browserPixels } from './browser-image.js';
import { imageToInputWith } from './image-input.js';

export const imageToInput = imageToInputWith(browserPixels);
