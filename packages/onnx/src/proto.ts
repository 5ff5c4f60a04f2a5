/**
 * The ONNX protobuf schema as static protobufjs code (npm `onnx-proto` 8.0.1, generated from
 * onnx v1.10.2, IR version 8), imported once here so the rest of the package sees one namespace.
 */
import onnxProto from 'onnx-proto';

export const proto = onnxProto.onnx;
export type { onnx } from 'onnx-proto';
