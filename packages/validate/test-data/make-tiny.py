"""Writes the two test models. tiny.onnx (runner tests): input [N,3,2,2] float32 -> Conv 1x1 (3->4, fixed
integer weights and bias) -> GlobalAveragePool -> Flatten -> output [N,4]. Small integers keep every
result exactly representable, so node and wasm must give bit-identical logits.
Run with: /usr/bin/python3 make-tiny.py  (needs the `onnx` and `numpy` Python packages)."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

w = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, -1, 2]], dtype=np.float32).reshape(4, 3, 1, 1)
b = np.array([0, 1, -1, 0.5], dtype=np.float32)
graph = helper.make_graph(
    [
        helper.make_node('Conv', ['input', 'w', 'b'], ['conv']),
        helper.make_node('GlobalAveragePool', ['conv'], ['pool']),
        helper.make_node('Flatten', ['pool'], ['logits']),
    ],
    'tiny',
    [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 3, 2, 2])],
    [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['N', 4])],
    [numpy_helper.from_array(w, 'w'), numpy_helper.from_array(b, 'b')],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='onebit-make-tiny')
model.ir_version = 7
onnx.checker.check_model(model)
onnx.save(model, 'tiny.onnx')

# mean-rgb.onnx: input [N,3,H,W] -> GlobalAveragePool -> Flatten -> MatMul W[3,10] -> Add b[10]
# -> logits [N,10]. On uint8-valued input every step is exact in float32 (integer sums below 2^24,
# division by a power of two for 32×32 images), so validateModel's tests can predict its logits.
wm = np.array([[((c + 1) * (k + 1)) % 5 - 2 for k in range(10)] for c in range(3)], dtype=np.float32)
bm = np.arange(10, dtype=np.float32) - 4
graph = helper.make_graph(
    [
        helper.make_node('GlobalAveragePool', ['input'], ['pool']),
        helper.make_node('Flatten', ['pool'], ['flat']),
        helper.make_node('MatMul', ['flat', 'w'], ['mm']),
        helper.make_node('Add', ['mm', 'b'], ['logits']),
    ],
    'mean-rgb',
    [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 3, 'H', 'W'])],
    [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['N', 10])],
    [numpy_helper.from_array(wm, 'w'), numpy_helper.from_array(bm, 'b')],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='onebit-make-tiny')
model.ir_version = 7
onnx.checker.check_model(model)
onnx.save(model, 'mean-rgb.onnx')
