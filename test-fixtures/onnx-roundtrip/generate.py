#!/usr/bin/python3
"""Writes the ONNX round-trip fixtures (issue 11): a selection of ONNX's official backend test models
(generated from the node test cases that Debian's python3-onnx 1.12 ships; its data folder is not
packaged) and synthetic models with every ModelProto/GraphProto/NodeProto/TensorProto/ValueInfoProto
field populated, data types 0-26, sequence/map/optional/sparse types, external data and unknown fields.

Run: apt-get install -y python3-onnx && /usr/bin/python3 test-fixtures/onnx-roundtrip/generate.py
Output: test-fixtures/onnx-roundtrip/official/*.onnx, synthetic/*.onnx, MANIFEST (name, bytes, sha256).
"""
import hashlib, os, sys, warnings
import numpy as np

# the 1.12 test cases use numpy aliases removed in numpy 1.24
for alias, real in (('float', float), ('int', int), ('bool', bool), ('object', object), ('complex', complex), ('str', str)):
    if alias not in np.__dict__:
        setattr(np, alias, real)
warnings.filterwarnings('ignore')

import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.backend.test.case import node as node_cases

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_BYTES = 4096        # small models only
MAX_OFFICIAL = 300

def write(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), 'wb') as f:
        f.write(data)

def official():
    cases, seen = [], set()
    for case in sorted(node_cases.collect_testcases(None), key=lambda c: c.name):   # None: every operator
        if case.model is None or case.name in seen:
            continue
        data = case.model.SerializeToString()
        if len(data) <= MAX_BYTES:
            seen.add(case.name)
            cases.append((case.name, data))
    # prefer variety: every expanded (function / subgraph) model plus the rest by name
    expanded = [c for c in cases if 'expanded' in c[0] or any(k in c[0] for k in ('loop', 'scan', 'if', 'sequence', 'optional'))]
    rest = [c for c in cases if c not in expanded]
    picked = (expanded + rest[::max(1, len(rest) // max(1, MAX_OFFICIAL - len(expanded)))])[:MAX_OFFICIAL]
    for name, data in picked:
        write('official', f'{name}.onnx', data)
    return len(picked)

def unknown_field(number, value):
    """The wire bytes of a varint field `number` = value (a field no ONNX version defines)."""
    out, tag = bytearray(), number << 3
    for v in (tag, value):
        while True:
            b = v & 0x7f
            v >>= 7
            out.append(b | (0x80 if v else 0))
            if not v:
                break
    return bytes(out)

def every_field():
    t = numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(2, 3), 'w')
    t.doc_string = 'weight doc'
    t.metadata_props.add(key='k', value='v') if hasattr(t, 'metadata_props') else None
    tf = helper.make_tensor('wf', TensorProto.FLOAT, [2], [1.5, -2.0])            # float_data, not raw_data
    ti = helper.make_tensor('wi', TensorProto.INT64, [2], [2**63 - 1, -2**63])     # int64_data extremes
    td = helper.make_tensor('wd', TensorProto.DOUBLE, [1], [0.25])
    tu = helper.make_tensor('wu', TensorProto.UINT64, [1], [2**64 - 1])
    ts = helper.make_tensor('wstr', TensorProto.STRING, [2], [b'a', b'bc'])
    t16 = helper.make_tensor('wh', TensorProto.FLOAT16, [2], [1.0, 2.0])
    tc = helper.make_tensor('wc', TensorProto.COMPLEX64, [1], [complex(1.0, 2.0)])
    tseg = helper.make_tensor('wseg', TensorProto.FLOAT, [1], [3.0])
    tseg.segment.begin, tseg.segment.end = 0, 1
    ext = TensorProto(name='wext', data_type=TensorProto.FLOAT, dims=[4], data_location=TensorProto.EXTERNAL)
    for k, v in (('location', 'weights.bin'), ('offset', '0'), ('length', '16')):
        ext.external_data.add(key=k, value=v)
    raw_types = []
    for dt in range(17, 27):   # FLOAT8*, UINT4/INT4, FLOAT4E2M1, FLOAT8E8M0, UINT2/INT2: raw bytes
        r = TensorProto(name=f'wt{dt}', data_type=dt, dims=[2], raw_data=b'\x01\x02')
        raw_types.append(r)
    sparse = helper.make_sparse_tensor(helper.make_tensor('sp', TensorProto.FLOAT, [2], [1.0, 2.0]), helper.make_tensor('sp_i', TensorProto.INT64, [2], [0, 3]), [4])

    body_in = helper.make_value_info('it', TypeProto_empty())   # an untyped subgraph value
    body = helper.make_graph([helper.make_node('Identity', ['c'], ['c_out'], doc_string='in body')], 'body',
                             [helper.make_tensor_value_info('i', TensorProto.INT64, []), helper.make_tensor_value_info('c', TensorProto.BOOL, [])],
                             [helper.make_tensor_value_info('c_out', TensorProto.BOOL, [])], value_info=[body_in])
    seq = helper.make_value_info('seq', helper.make_sequence_type_proto(helper.make_tensor_type_proto(TensorProto.FLOAT, [None, 'n'])))
    mp = onnx.ValueInfoProto(name='map')
    mp.type.map_type.key_type = TensorProto.INT64
    mp.type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, [1]))
    opt = helper.make_value_info('opt', helper.make_optional_type_proto(helper.make_tensor_type_proto(TensorProto.FLOAT, [1])))
    spt = onnx.ValueInfoProto(name='spt')
    spt.type.sparse_tensor_type.elem_type = TensorProto.FLOAT
    x = helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 3], doc_string='input doc')
    x.type.denotation = 'TENSOR'
    x.type.tensor_type.shape.dim[0].denotation = 'DATA_BATCH'
    y = helper.make_tensor_value_info('y', TensorProto.FLOAT, None)
    nodes = [
        helper.make_node('Gemm', ['x', 'w'], ['g'], name='gemm', doc_string='node doc', domain='', alpha=1.0, transB=0),
        helper.make_node('Slice', ['g'], ['s'], starts=[0], ends=[2**63 - 1], axes=[1], name='slice'),
        helper.make_node('Loop', ['', 'cond'], ['y'], body=body, name='loop'),
        helper.make_node('Custom', ['s'], ['z'], domain='local', name='call', f=0.5, i=-2**63, s=b'str', t=tf, floats=[1.0], ints=[2**63 - 1, -1], strings=[b'a'], tensors=[td], graphs=[body]),
        helper.make_node('Constant', [], ['cs'], value=ts),
    ]
    attr_tp = onnx.AttributeProto(name='tp', type=onnx.AttributeProto.TYPE_PROTO)
    attr_tp.tp.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, [1]))
    nodes[3].attribute.append(attr_tp)
    attr_sp = onnx.AttributeProto(name='sparse', type=onnx.AttributeProto.SPARSE_TENSOR)
    attr_sp.sparse_tensor.CopyFrom(sparse)
    nodes[3].attribute.append(attr_sp)
    nodes[0].attribute[0].doc_string = 'attribute doc'
    graph = helper.make_graph(nodes, 'every-field', [x], [y, seq, mp, opt, spt],
                              initializer=[t, tf, ti, td, tu, ts, t16, tc, tseg, ext] + raw_types, doc_string='graph doc',
                              value_info=[helper.make_tensor_value_info('g', TensorProto.FLOAT, ['N', 2])], sparse_initializer=[sparse])
    qa = graph.quantization_annotation.add(tensor_name='g')
    qa.quant_parameter_tensor_names.add(key='SCALE_TENSOR', value='w')
    fn = helper.make_function('local', 'Custom', ['a'], ['b'], [helper.make_node('Identity', ['a'], ['b'])], [helper.make_opsetid('', 13)], attributes=['f'])
    fn.doc_string = 'function doc'
    model = helper.make_model(graph, producer_name='onebit-fixtures', producer_version='1', domain='org.onebit', model_version=7,
                              doc_string='model doc', opset_imports=[helper.make_opsetid('', 13), helper.make_opsetid('local', 1)], functions=[fn])
    model.ir_version = 8
    helper.set_model_props(model, {'onebit.preprocess': 'unit', 'k': 'v'})
    ti_ = model.training_info.add()
    ti_.algorithm.CopyFrom(helper.make_graph([helper.make_node('Identity', ['w'], ['w2'])], 'algo', [], []))
    ti_.update_binding.add(key='w', value='w2')
    data = model.SerializeToString()
    write('synthetic', 'every-field.onnx', data)
    # the same with unknown fields at every level onebit reads (model, graph, node, attribute, tensor, value info)
    m2 = onnx.ModelProto()
    m2.ParseFromString(data)
    def add_unknown(msg, number):
        raw = msg.SerializeToString() + unknown_field(number, 42)
        msg.Clear()
        msg.ParseFromString(raw)
    add_unknown(m2.graph.node[0].attribute[0], 999)
    add_unknown(m2.graph.node[0], 998)
    add_unknown(m2.graph.initializer[0], 997)
    add_unknown(m2.graph.input[0], 996)
    add_unknown(m2.graph, 995)
    raw = m2.SerializeToString() + unknown_field(994, 7)
    write('synthetic', 'unknown-fields.onnx', raw)
    # one small model per data type 0-26 as a graph input type and an initializer
    for dt in range(0, 27):
        size = {1: 4, 4: 2, 5: 2, 6: 4, 7: 8, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8, 15: 16, 16: 2}.get(dt, 1)
        init = TensorProto(name='v', data_type=dt, dims=[1], raw_data=bytes(range(1, size + 1)))
        if dt == TensorProto.STRING:
            init = TensorProto(name='v', data_type=dt, dims=[1], string_data=[b'text'])
        g = helper.make_graph([helper.make_node('Identity', ['v'], ['o'])], f'dtype{dt}', [], [helper.make_tensor_value_info('o', dt, [1])],
                              initializer=[init] if dt else [])
        write('synthetic', f'dtype-{dt:02d}.onnx', helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)]).SerializeToString())
    return 2 + 27

def TypeProto_empty():
    return onnx.TypeProto()

if __name__ == '__main__':
    n = official()
    s = every_field()
    lines = []
    for folder in ('official', 'synthetic'):
        for name in sorted(os.listdir(os.path.join(HERE, folder))):
            data = open(os.path.join(HERE, folder, name), 'rb').read()
            lines.append(f'{hashlib.sha256(data).hexdigest()}  {folder}/{name}')
    open(os.path.join(HERE, 'SHA256SUMS'), 'w').write('\n'.join(lines) + '\n')
    print(f'{n} official, {s} synthetic models')
