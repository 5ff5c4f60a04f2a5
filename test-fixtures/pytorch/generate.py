"""Generates the PyTorch and safetensors test fixtures of @onebit/pytorch.

Run from the repository root with Debian's python3-torch (torch 1.13):

    /usr/bin/python3 test-fixtures/pytorch/generate.py

Writes small torch.save files in the zip (torch >= 1.6) and legacy (<= 1.5) formats, a
safetensors file written by hand (struct + json, no safetensors package needed), plain-data
pickles in protocols 0-5, malicious pickles (only bytes: nothing here ever unpickles them), a
golden.json of every tensor's dtype, shape and exact little-endian bytes, and SHA256SUMS.
Everything is seeded; legacy files embed storage addresses as keys, so their bytes (not their
tensors) may change between runs.
"""
import collections
import hashlib
import io
import json
import os
import pickle
import struct
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)

GOLDEN = {}


def tensor_bytes(t):
    """Contiguous little-endian bytes of t (bfloat16/bool included), as hex."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes().hex()


def golden_tensor(t):
    t = t.detach()
    return {
        'dtype': {
            torch.float32: 'float32', torch.float64: 'float64', torch.float16: 'float16',
            torch.bfloat16: 'bfloat16', torch.int64: 'int64', torch.int32: 'int32',
            torch.int16: 'int16', torch.int8: 'int8', torch.uint8: 'uint8', torch.bool: 'bool',
        }[t.dtype],
        'shape': list(t.shape),
        'hex': tensor_bytes(t),
        'sum': float(t.double().sum()) if t.numel() else 0.0,
    }


def flatten(obj, prefix=''):
    out = collections.OrderedDict()
    if isinstance(obj, torch.Tensor):
        out[prefix[:-1]] = obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f'{prefix}{k}.'))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            out.update(flatten(v, f'{prefix}{i}.'))
    return out


def record(name, fmt, tensors, metadata=None):
    """Golden entry: the tensors a reader must return, in order, and the scalar metadata."""
    GOLDEN[name] = {
        'format': fmt,
        'tensors': collections.OrderedDict((k, golden_tensor(v)) for k, v in tensors.items()),
        'metadata': metadata or {},
    }


def check_roundtrip(path, expected):
    """Loads a non-malicious fixture back with torch.load and compares every tensor exactly."""
    loaded = torch.load(path, map_location='cpu')
    got, want = flatten(loaded), flatten(expected)
    assert list(got) == list(want), (path, list(got), list(want))
    for k in want:
        assert got[k].dtype == want[k].dtype and got[k].shape == want[k].shape, (path, k)
        assert tensor_bytes(got[k]) == tensor_bytes(want[k]), (path, k)


def save_both(stem, obj, tensors, metadata=None, protocol=2):
    for fmt, suffix, new in (('torch-zip', 'zip', True), ('torch-legacy', 'legacy', False)):
        name = f'{stem}.{suffix}.pt'
        path = os.path.join(HERE, name)
        torch.save(obj, path, _use_new_zipfile_serialization=new, pickle_protocol=protocol)
        check_roundtrip(path, obj)
        record(name, fmt, tensors, metadata)


class TinyCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 4, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(4)
        self.conv2 = torch.nn.Conv2d(4, 8, 3, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(8, affine=False)
        self.fc = torch.nn.Linear(8, 3)


def tiny_state_dict():
    model = TinyCNN()
    with torch.no_grad():
        model.bn1.running_mean.normal_()
        model.bn1.running_var.uniform_(0.5, 2.0)
        model.bn1.num_batches_tracked.fill_(7)
        model.bn2.running_mean.normal_()
    return model.state_dict()


def main():
    # 1. A tiny CNN state_dict (OrderedDict with _metadata, int64 0-d num_batches_tracked).
    sd = tiny_state_dict()
    save_both('tiny-cnn', sd, sd)
    # Protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL) in the legacy format.
    name = 'tiny-cnn.proto4.legacy.pt'
    torch.save(sd, os.path.join(HERE, name), _use_new_zipfile_serialization=False, pickle_protocol=4)
    check_roundtrip(os.path.join(HERE, name), sd)
    record(name, 'torch-legacy', sd)
    # The zip file re-packed with deflated entries under another archive folder name.
    buf = io.BytesIO()
    torch.save(sd, buf)
    name = 'tiny-cnn.deflated.pt'
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(os.path.join(HERE, name), 'w', zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo('my_model/' + info.filename.split('/', 1)[1], (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    check_roundtrip(os.path.join(HERE, name), sd)
    record(name, 'torch-zip', sd)

    # 2. A DataParallel-style training checkpoint: module. prefixes inside a wrapper dict.
    dp = collections.OrderedDict(('module.' + k, v) for k, v in tiny_state_dict().items())
    ckpt = {
        'epoch': 3,
        'arch': 'tiny',
        'state_dict': dp,
        'best_prec1': 91.5,
        'is_best': True,
        'optimizer': {'state': {}, 'param_groups': [{'lr': 0.1, 'momentum': 0.9, 'params': [0, 1, 2]}]},
    }
    save_both('checkpoint-dp', ckpt, dp, {'epoch': 3, 'arch': 'tiny', 'best_prec1': 91.5, 'is_best': True})

    # 3. Every storage dtype, with extreme values.
    dtypes = collections.OrderedDict([
        ('f32', torch.tensor([[1.5, -0.0, 3.25e-3], [1e30, -2.0, 7.0]], dtype=torch.float32)),
        ('f64', torch.tensor([1.0 / 3.0, -1e300, 5e-324], dtype=torch.float64)),
        ('f16', torch.tensor([0.1, -65504.0, 6e-8, 1.0, -0.0], dtype=torch.float16)),
        ('bf16', torch.tensor([[0.1, -3.0e38], [1.0e-38, 2.5]], dtype=torch.bfloat16)),
        ('i64', torch.tensor([2 ** 62 + 1, -(2 ** 63), -1, 0, 42], dtype=torch.int64)),
        ('i32', torch.tensor([-(2 ** 31), 2 ** 31 - 1, 5], dtype=torch.int32)),
        ('i16', torch.tensor([-32768, 32767], dtype=torch.int16)),
        ('i8', torch.tensor([-128, 127, 0], dtype=torch.int8)),
        ('u8', torch.tensor([0, 255, 17], dtype=torch.uint8)),
        ('bool', torch.tensor([[True, False, True], [False, False, True]])),
        ('scalar', torch.tensor(2.5)),
        ('empty', torch.zeros(0, 3)),
    ])
    save_both('dtypes', dtypes, dtypes)

    # 4. Non-contiguous views: transposes, offsets, steps, expand (stride 0), shared storages.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    shared = torch.randn(10)
    views = collections.OrderedDict([
        ('base', base),
        ('transposed', base.t()),
        ('sliced', base[1:, 2:5]),
        ('row', base[2]),
        ('stepped', base[::2, ::3]),
        ('expanded', torch.tensor([[1.0, 2.0, 3.0]]).expand(4, 3)),
        ('shared_a', shared[0:4]),
        ('shared_b', shared[2:8].view(2, 3)),
        ('shared_c', shared[1:9].view(2, 4).t()),
        ('half_t', torch.randn(3, 2).half().t()),
        ('permuted', torch.randn(2, 3, 4).permute(2, 0, 1)),
    ])
    save_both('views', views, views)

    # 5. Nested containers without a state_dict key: tensors flattened with '.'-joined keys.
    nested = {
        'encoder': {'conv': {'weight': torch.randn(2, 1, 3, 3)}, 'scale': torch.tensor([0.5])},
        'heads': [torch.randn(3), torch.randn(2, 2)],
        'step': 12,
        'name': 'nested',
    }
    record_tensors = flatten(nested)
    save_both('nested', nested, record_tensors, {'step': 12, 'name': 'nested'})

    # 6. safetensors, written by hand after the spec (header padded to 8 bytes with spaces).
    st = collections.OrderedDict([
        ('conv.weight', torch.randn(2, 1, 3, 3)),
        ('bn.running_var', torch.rand(2, dtype=torch.float64)),
        ('half', torch.tensor([1.0, -2.0, 0.5], dtype=torch.float16)),
        ('bf', torch.tensor([3.0, -1.0], dtype=torch.bfloat16)),
        ('steps', torch.tensor([2 ** 40, -5], dtype=torch.int64)),
        ('i32', torch.tensor([7, -7], dtype=torch.int32)),
        ('i16', torch.tensor([300], dtype=torch.int16)),
        ('i8', torch.tensor([-3, 4], dtype=torch.int8)),
        ('u8', torch.tensor([200, 1, 2], dtype=torch.uint8)),
        ('mask', torch.tensor([True, False, True])),
        ('scalar', torch.tensor(4.0)),
    ])
    write_safetensors(os.path.join(HERE, 'tiny.safetensors'), st, {'format': 'pt', 'source': 'onebit fixtures'})
    GOLDEN['tiny.safetensors'] = {
        'format': 'safetensors',
        'tensors': collections.OrderedDict((k, golden_tensor(v)) for k, v in st.items()),
        'metadata': {'format': 'pt', 'source': 'onebit fixtures'},
    }

    # 7. Plain data in every pickle protocol (the test spells out the expected value).
    for protocol in range(6):
        with open(os.path.join(HERE, f'plain-data.p{protocol}.pkl'), 'wb') as f:
            f.write(pickle.dumps(plain_data(), protocol=protocol))

    # 8. Malicious pickles: bytes only, never unpickled here.
    write_malicious(sd)

    # 9. Hand-built legacy storage views (view_metadata, written by torch < 0.4) and big-endian files.
    write_storage_view()
    write_big_endian(views)

    with open(os.path.join(HERE, 'golden.json'), 'w') as f:
        json.dump(GOLDEN, f, indent=1)
        f.write('\n')
    names = sorted(n for n in os.listdir(HERE) if n not in ('SHA256SUMS', 'generate.py', 'README.md'))
    with open(os.path.join(HERE, 'SHA256SUMS'), 'w') as f:
        for n in names:
            with open(os.path.join(HERE, n), 'rb') as g:
                f.write(f'{hashlib.sha256(g.read()).hexdigest()}  {n}\n')


def plain_data():
    shared = [1, 2]
    return {
        'none': None, 'true': True, 'false': False,
        'ints': [0, 1, -1, 255, 256, 65535, 65536, -2 ** 31, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 2 ** 64 + 3, -2 ** 70],
        'float': [1.5, -0.25, 1e300],
        'str': 'héllo ☃ \n "quote" \\',
        'bytes': b'\x00\x01\xff abc',
        'empty_bytes': b'',
        'tuple': (1, 'two', (3.0,)),
        'empty': ((), [], {}),
        'shared': [shared, shared],
        'nested': {'a': {'b': {'c': [1, [2, [3]]]}}},
        7: 'int key',
    }


SAFETENSORS_DTYPES = {
    torch.float32: 'F32', torch.float64: 'F64', torch.float16: 'F16', torch.bfloat16: 'BF16',
    torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8',
    torch.uint8: 'U8', torch.bool: 'BOOL',
}


def write_safetensors(path, tensors, metadata):
    header = {'__metadata__': metadata}
    blobs, offset = [], 0
    for k, t in tensors.items():
        data = bytes.fromhex(tensor_bytes(t))
        header[k] = {'dtype': SAFETENSORS_DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


class Reduce:
    """An object whose pickle calls `func(*args)` on load; pickling it runs nothing."""
    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def legacy_prefix():
    """The three small pickles that open a legacy torch.save file."""
    sys_info = dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4))
    return b''.join(pickle.dumps(x, protocol=2) for x in (0x1950a86a20f9469cfc6c, 1001, sys_info))


def write_malicious(sd):
    import builtins
    import subprocess
    w = lambda name, data: open(os.path.join(HERE, name), 'wb').write(data)
    # GLOBAL 'os system' spelled out by hand (pickle itself would write posix.system on Linux).
    w('evil-os-system.pkl', b'\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.')
    w('evil-posix-system.pkl', pickle.dumps(Reduce(os.system, ('echo pwned',)), protocol=2))
    w('evil-eval.pkl', pickle.dumps({'w': Reduce(builtins.eval, ("__import__('os').system('echo pwned')",))}, protocol=2))
    w('evil-getattr.pkl', pickle.dumps(Reduce(builtins.getattr, (Reduce(builtins.__import__, ('os',)), 'system')), protocol=4))
    w('evil-popen.pkl', pickle.dumps(Reduce(subprocess.Popen, (['echo', 'pwned'],)), protocol=3))
    w('evil-torch-load.pkl', pickle.dumps(Reduce(torch.load, ('/etc/passwd',)), protocol=2))
    # A torch zip whose data.pkl is a state_dict with an os.system call inside (protocol 4: STACK_GLOBAL).
    buf = io.BytesIO()
    torch.save(sd, buf)
    evil = pickle.dumps({'conv.weight': Reduce(os.system, ('echo pwned',))}, protocol=4)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(os.path.join(HERE, 'evil-in-zip.pt'), 'w', zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            dst.writestr(entry, evil if info.filename.endswith('data.pkl') else src.read(info.filename))
    # A legacy file whose main pickle calls subprocess.Popen.
    w('evil-legacy.pt', legacy_prefix() + pickle.dumps(Reduce(subprocess.Popen, (['echo', 'pwned'],)), protocol=3)
      + pickle.dumps([], protocol=2))


class StorageRef:
    """Stands for a storage in a hand-built pickle; the Pickler turns it into a persistent id."""
    def __init__(self, pid):
        self.pid = pid


class PersistentPickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, StorageRef) else None


def rebuild(storage, offset, size, stride):
    return Reduce(torch._utils._rebuild_tensor_v2, (storage, offset, size, stride, False, collections.OrderedDict()))


def legacy_file(obj, storages, little_endian=True):
    """A legacy torch.save file: prefix pickles, obj with persistent ids, keys, counted raw storages."""
    sys_info = dict(protocol_version=1001, little_endian=little_endian, type_sizes=dict(short=2, int=4, long=4))
    out = io.BytesIO()
    for x in (0x1950a86a20f9469cfc6c, 1001, sys_info):
        pickle.dump(x, out, protocol=2)
    PersistentPickler(out, protocol=2).dump(obj)
    pickle.dump([k for k, _, _ in storages], out, protocol=2)
    for _, count, data in storages:
        out.write(struct.pack('<q' if little_endian else '>q', count) + data)
    return out.getvalue()


def write_storage_view():
    """Two tensors on views (offset 2, size 3; offset 5, size 3) of one 8-element float storage."""
    base = torch.arange(8, dtype=torch.float32) * 1.5
    a = StorageRef(('storage', torch.FloatStorage, 'root', 'cpu', 8, ('view_a', 2, 3)))
    b = StorageRef(('storage', torch.FloatStorage, 'root', 'cpu', 8, ('view_b', 5, 3)))
    obj = collections.OrderedDict([('a', rebuild(a, 0, (3,), (1,))), ('b', rebuild(b, 1, (2,), (1,)))])
    name = 'storage-view.legacy.pt'
    path = os.path.join(HERE, name)
    with open(path, 'wb') as f:
        f.write(legacy_file(obj, [('root', 8, base.numpy().tobytes())]))
    expected = collections.OrderedDict([('a', base[2:5]), ('b', base[6:8])])
    check_roundtrip(path, expected)
    record(name, 'torch-legacy', expected)


def write_big_endian(views):
    """The views fixture with big-endian storages: a zip with byteorder 'big' (torch >= 2.1) and a legacy file."""
    buf = io.BytesIO()
    torch.save(views, buf)
    name = 'views.big-endian.zip.pt'
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(os.path.join(HERE, name), 'w', zipfile.ZIP_STORED) as dst:
        pkl = src.read('archive/data.pkl')
        sizes = storage_item_sizes(pkl)
        for info in src.infolist():
            data = src.read(info.filename)
            key = info.filename.split('/data/', 1)[1] if '/data/' in info.filename else None
            if key is not None:
                data = swap(data, sizes[key])
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data)
        dst.writestr(zipfile.ZipInfo('archive/byteorder', (1980, 1, 1, 0, 0, 0)), b'big')
    record(name, 'torch-zip', views)
    # Legacy: one big-endian float64 and one int16 tensor.
    f64 = torch.tensor([1.0, -2.5, 1e-300], dtype=torch.float64)
    i16 = torch.tensor([[1, -2], [300, -32768]], dtype=torch.int16)
    s1 = StorageRef(('storage', torch.DoubleStorage, 'd', 'cpu', 3, None))
    s2 = StorageRef(('storage', torch.ShortStorage, 's', 'cpu', 4, None))
    obj = {'f64': rebuild(s1, 0, (3,), (1,)), 'i16': rebuild(s2, 0, (2, 2), (1, 2))}
    name = 'big-endian.legacy.pt'
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(legacy_file(obj, [('d', 3, swap(f64.numpy().tobytes(), 8)), ('s', 4, swap(i16.numpy().tobytes(), 2))], little_endian=False))
    record(name, 'torch-legacy', collections.OrderedDict([('f64', f64), ('i16', i16.t())]))


def storage_item_sizes(pkl):
    """Storage key -> element size, read from the persistent ids of a torch zip data.pkl."""
    sizes = {}
    class Finder(pickle.Unpickler):
        def find_class(self, module, name):
            if module == 'torch' and name.endswith('Storage'):
                return name
            if (module, name) == ('collections', 'OrderedDict'):
                return collections.OrderedDict
            if (module, name) == ('torch._utils', '_rebuild_tensor_v2'):
                return lambda *a: None
            raise pickle.UnpicklingError(f'{module}.{name}')
        def persistent_load(self, pid):
            sizes[pid[2]] = {'FloatStorage': 4, 'HalfStorage': 2}[pid[1]]
    Finder(io.BytesIO(pkl)).load()
    return sizes


def swap(data, size):
    return b''.join(data[i:i + size][::-1] for i in range(0, len(data), size))


if __name__ == '__main__':
    main()
