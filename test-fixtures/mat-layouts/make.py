#!/usr/bin/python3
"""Writes MAT files in the layouts scipy.io.savemat produces, and what scipy.io.loadmat reads back from
each (issue 11): MAT v5 with and without compression, vectors saved as rows and as columns, 0-d
scalars, empty arrays, every int/uint class with its extremes, logical, char (also non-ASCII and
multi-row), cells, structs, struct arrays, nested structs, complex double and single, IEEE specials;
a sparse matrix (which onebit refuses) and a v4 file (which onebit refuses). Values come from a
seeded generator, so the files are the same on every run with the same scipy.

The expected values are scipy's reading of each written file, not the values written, so the test
checks onebit's reader against scipy's, in onebit's MatValue terms:
  numeric {kind, className, logical, dims, data, imag?}  data column-major; int64/uint64 as strings,
          NaN/Infinity/-Infinity as strings, -0 as "-0"
  char    {kind, dims, text}  rows joined by '\n'
  cell    {kind, dims, cells} column-major
  struct  {kind, dims, fieldNames, elements: [{field: value}]} column-major
A file onebit must refuse has {"error": <typed error class>} instead of variables.

Run: apt-get install -y python3-scipy && /usr/bin/python3 test-fixtures/mat-layouts/make.py
Output: test-fixtures/mat-layouts/*.mat and expected.json.
"""
import json, math, os, warnings
import numpy as np
import scipy
import scipy.io
import scipy.sparse

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(11)
# savemat writes the time into the header text; a fixed one keeps the files the same on every run
scipy.io.matlab._mio5.time.asctime = lambda *args: 'Thu Jan  1 00:00:00 2026'


CLASS = {
    'float64': 'double', 'float32': 'single', 'int8': 'int8', 'uint8': 'uint8', 'int16': 'int16',
    'uint16': 'uint16', 'int32': 'int32', 'uint32': 'uint32', 'int64': 'int64', 'uint64': 'uint64',
    'complex128': 'double', 'complex64': 'single',
}


def struct_array(shape, fields, values):
    """A struct array of `shape` (C-order `values`, one dict per element) as savemat writes it."""
    arr = np.empty(shape, dtype=[(f, object) for f in fields])
    for index, value in zip(np.ndindex(*shape), values):
        for f in fields:
            arr[index][f] = value[f]
    return arr


def cell(shape, values):
    arr = np.empty(shape, dtype=object)
    for index, value in zip(np.ndindex(*shape), values):
        arr[index] = value
    return arr


VALUES = {
    'row': np.arange(1, 6, dtype=np.float64),                      # 1-D: a row or a column by oned_as
    'col': np.arange(3, dtype=np.float64).reshape(3, 1),
    'scalar': np.float64(3.5),                                      # 0-d: 1×1
    'empty': np.zeros((0, 3)),
    'cube': rng.standard_normal((2, 3, 4)),
    'single': rng.standard_normal((2, 2)).astype(np.float32),
    'specials': np.array([np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7976931348623157e308, 2.0 ** -1074 * 3]),
    'i8': np.array([[-128, 127, 0, -1]], dtype=np.int8),
    'u8': np.array([0, 255, 7], dtype=np.uint8),
    'i16': np.array([-32768, 32767], dtype=np.int16),
    'u16': np.array([0, 65535], dtype=np.uint16),
    'i32': np.array([-2 ** 31, 2 ** 31 - 1], dtype=np.int32),
    'u32': np.array([0, 2 ** 32 - 1], dtype=np.uint32),
    'i64': np.array([-2 ** 63, 2 ** 63 - 1, 2 ** 53 + 1], dtype=np.int64),
    'u64': np.array([0, 2 ** 64 - 1, 2 ** 53 + 1], dtype=np.uint64),
    'i16mat': rng.integers(-1000, 1000, size=(3, 2)).astype(np.int16),
    'logical': np.array([[True, False, True], [False, True, True]]),
    'text': 'hello',
    'unicode': 'héllo ✓ π',
    'rows': np.array(['abc', 'déf']),
    'emptystr': '',
    'cellrow': cell((1, 3), [1.0, 'two', np.array([[3, 4]], dtype=np.int16)]),
    'cell2d': cell((2, 2), ['a', np.float32(2), cell((1, 1), ['inner']), np.zeros((0, 0))]),
    'emptycell': np.empty((0, 0), dtype=object),
    'st': {'a': 1.0, 'b': 'text', 'c': np.array([1, 2, 3], dtype=np.uint8)},
    'nested': {'inner': {'x': -2.0, 'deeper': {'y': 'z', 'v': np.array([[1.5], [2.5]])}}, 'w': np.eye(2)},
    'starr': struct_array((1, 3), ['p', 'q'], [{'p': float(i), 'q': f'item{i}'} for i in range(3)]),
    'starr2d': struct_array((2, 2), ['k'], [{'k': np.int32(i)} for i in range(4)]),
    'cplx': np.array([1 + 2j, -3.5 - 0.25j, 0 - 1j]),
    'cplxsingle': (rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2))).astype(np.complex64),
}


def number(x):
    """A float as JSON: exact (Python's repr round-trips), specials and -0 as strings."""
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    if x == 0 and math.copysign(1, x) < 0:
        return '-0'
    return x


def values_of(arr, kind):
    flat = arr.flatten(order='F')
    if kind in ('int64', 'uint64'):
        return [str(int(v)) for v in flat]
    if kind in ('double', 'single') or arr.dtype.kind == 'c':
        return [number(v) for v in flat]
    return [int(v) for v in flat]


def expected(value, typed):
    """
    scipy's reading of one variable: `value` from loadmat(struct_as_record=True, chars_as_strings=False),
    `typed` the same variable read with mat_dtype=True, which marks logical arrays as bool (but casts
    complex arrays to real, so the values come from `value`).
    """
    if isinstance(value, np.ndarray) and value.dtype.names is not None:
        fields = list(value.dtype.names)
        elements = []
        for index in np.ndindex(*value.shape[::-1]):
            item, typed_item = value[index[::-1]], typed[index[::-1]]
            elements.append({f: expected(item[f], typed_item[f]) for f in fields})
        return {'kind': 'struct', 'dims': list(value.shape), 'fieldNames': fields, 'elements': elements}
    if isinstance(value, np.ndarray) and value.dtype == object:
        cells = [expected(v, t) for v, t in zip(value.flatten(order='F'), typed.flatten(order='F'))]
        return {'kind': 'cell', 'dims': list(value.shape), 'cells': cells}
    if isinstance(value, np.ndarray) and value.dtype.kind == 'U':
        dims = list(value.shape)
        if len(dims) != 2:
            raise SystemExit(f'char array of shape {dims}: only 2-D char arrays are written')
        return {'kind': 'char', 'dims': dims, 'text': '\n'.join(''.join(row) for row in value)}
    if isinstance(value, np.ndarray):
        name = CLASS[value.dtype.name]
        out = {'kind': 'numeric', 'className': name, 'logical': bool(typed.dtype == np.bool_), 'dims': list(value.shape),
               'data': values_of(value.real if value.dtype.kind == 'c' else value, name)}
        if value.dtype.kind == 'c':
            out['imag'] = values_of(value.imag, name)
        return out
    raise SystemExit(f'unexpected value read back: {type(value)}')


def write(name, variables, expect_error=None, **savemat_options):
    path = os.path.join(HERE, name)
    scipy.io.savemat(path, variables, **savemat_options)
    if expect_error:
        return {'error': expect_error}
    back = scipy.io.loadmat(path, struct_as_record=True, chars_as_strings=False)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', np.ComplexWarning)  # the cast to real is why values come from `back`
        typed = scipy.io.loadmat(path, struct_as_record=True, chars_as_strings=False, mat_dtype=True)
    return {'variables': {k: expected(v, typed[k]) for k, v in back.items() if not k.startswith('__')}}


def main():
    table = {
        'values.mat': write('values.mat', VALUES, do_compression=False),
        'values-compressed.mat': write('values-compressed.mat', VALUES, do_compression=True),
        'values-columns.mat': write('values-columns.mat', VALUES, do_compression=True, oned_as='column'),
        'sparse.mat': write('sparse.mat', {'a': np.eye(2), 'sp': scipy.sparse.csc_matrix(np.array([[0, 1.5], [2, 0]]))}, 'UnsupportedError', do_compression=False),
        'sparse-compressed.mat': write('sparse-compressed.mat', {'sp': scipy.sparse.csc_matrix(np.eye(3))}, 'UnsupportedError', do_compression=True),
        'v4.mat': write('v4.mat', {'x': np.eye(2)}, 'UnsupportedError', format='4'),
    }
    with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
        json.dump({'scipy': scipy.__version__, 'numpy': np.__version__, 'files': table}, f, indent=1, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    main()
