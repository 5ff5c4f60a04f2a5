/**
 * One line per variable — and, indented beneath it, per cell and struct field — giving its MATLAB
 * class and dims (scalars and short text shown inline), for `onebit inspect` and for reports.
 */
import { formatDims } from '@onebit/core';
import type { MatFile, MatValue } from './mat-types.js';

const MAX_TEXT = 60;

function summary(value: MatValue): string {
  const dims = formatDims(value.dims);
  switch (value.kind) {
    case 'numeric': {
      const className = value.logical ? 'logical' : value.className;
      const type = value.imag ? `complex ${className}` : className;
      const scalar = value.data.length === 1 && !value.imag ? ` = ${String(value.data[0])}` : '';
      return `${type} ${dims}${scalar}`;
    }
    case 'char': {
      const text = value.text.length > MAX_TEXT ? `${value.text.slice(0, MAX_TEXT)}…` : value.text;
      return `char ${dims} ${JSON.stringify(text)}`;
    }
    case 'cell':
      return `cell ${dims}`;
    case 'struct':
      return `struct ${dims} with fields ${value.fieldNames.join(', ') || '(none)'}${value.renamedFields ? ` (repeated field names renamed as scipy does: ${value.renamedFields.map((r) => `${r.from} → ${r.to}`).join(', ')})` : ''}`;
  }
}

/** Lines describing `value` (named `path`) and everything nested in it, indented by depth. */
export function describeValue(path: string, value: MatValue, indent = ''): string[] {
  const lines = [`${indent}${path}: ${summary(value)}`];
  const inner = `${indent}  `;
  if (value.kind === 'cell') {
    value.cells.forEach((cell, i) => lines.push(...describeValue(`${path}{${i + 1}}`, cell, inner)));
  } else if (value.kind === 'struct') {
    value.elements.forEach((element, i) => {
      const prefix = value.elements.length === 1 ? path : `${path}(${i + 1})`;
      for (const [field, fieldValue] of element) lines.push(...describeValue(`${prefix}.${field}`, fieldValue, inner));
    });
  }
  return lines;
}

/** One line per variable in file order, recursively through cells and structs. */
export function describeMat(file: MatFile): string[] {
  return [...file.variables].flatMap(([name, value]) => describeValue(name, value));
}
