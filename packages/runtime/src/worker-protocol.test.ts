/** Errors crossing the worker boundary come back as the same classes with the same fields. */
import { describe, expect, it } from 'vitest';
import { FormatError, LimitError } from '@onebit/core';
import { FetchError, ImageDecodeError, InputSizeError, ModelDisposedError, ModelIntegrityError, ModelLoadError } from './errors.js';
import { deserializeError, serializeError } from './worker-protocol.js';

const roundTrip = (e: unknown): Error => deserializeError(structuredClone(serializeError(e)));

describe('worker error transport', () => {
  it('rebuilds each runtime error class with its fields', () => {
    const fetchError = roundTrip(new FetchError('Fetching the model from /m.onnx failed with HTTP 404.', '/m.onnx', 404));
    expect(fetchError).toBeInstanceOf(FetchError);
    expect(fetchError).toMatchObject({ message: 'Fetching the model from /m.onnx failed with HTTP 404.', url: '/m.onnx', status: 404 });
    expect(roundTrip(new InputSizeError('The image is 31×32 but the model needs 32×32 (resizing is off).', 31, 32, 3))).toMatchObject({ name: 'InputSizeError', width: 31, height: 32, channels: 3 });
    expect(roundTrip(new ModelLoadError('The model is empty (0 bytes).'))).toBeInstanceOf(ModelLoadError);
    const decode = roundTrip(new ImageDecodeError('The 5-byte image/png could not be decoded as an image.'));
    expect(decode).toBeInstanceOf(ImageDecodeError);
    expect(decode.message).toBe('image: The 5-byte image/png could not be decoded as an image.');
    expect(roundTrip(new RangeError('topK 0 is not a positive integer.'))).toBeInstanceOf(RangeError);
    expect(roundTrip(new ModelDisposedError('Model 3 was disposed in this worker; load the model again to get a live handle.', 3))).toMatchObject({ name: 'ModelDisposedError', modelId: 3 });
    expect(roundTrip(new LimitError('The 5000×5000 image has 25000000 pixels, more than the limit of 16777216.'))).toBeInstanceOf(LimitError);
    expect(roundTrip(new ModelIntegrityError('The model /m.onnx has SHA-256 aa…, not the expected bb….', 'bb', 'aa'))).toMatchObject({ name: 'ModelIntegrityError', expected: 'bb', actual: 'aa' });
    const format = roundTrip(new FormatError('onnx', 'field 8 at byte 12 has wire type 7.', 12));
    expect(format).toBeInstanceOf(FormatError);
    expect(format).toMatchObject({ message: 'onnx: field 8 at byte 12 has wire type 7.', offset: 12, format: 'onnx' });
  });
});
