/** @onebit/wrn: the authors' MATLAB and Keras wide ResNets and plain CNN (.mat) and szagoruyko/binary-wide-resnet state_dicts, emitted as ONNX. */
export * from './network.js';
export * from './layout.js';
export * from './matlab-wrn.js';
export * from './keras-wrn.js';
export * from './plain-net.js';
export * from './mat-batchnorm.js';
export * from './read-network.js';
export * from './emit-onnx.js';
export * from './forward.js';
export * from './binary-wide-resnet.js';
export * from './binary-wide-resnet-onnx.js';
