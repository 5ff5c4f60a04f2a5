/** The size panel: packed vs float model, raw and gzipped bytes, and bits per binary weight. */
import type { AppData } from '../build/generate-assets.js';
import { formatBytes } from './byte-format.js';

export function renderSizes(table: HTMLTableElement, caption: HTMLElement, data: AppData): void {
  const { packed, float, gzipLevel } = data.sizes;
  const heading = table.querySelector('#gzip-heading');
  if (heading) heading.textContent = `gzip -${gzipLevel}`;
  const row = (name: string, raw: number, gzip: number): HTMLTableRowElement => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    const cells = [formatBytes(raw), formatBytes(gzip), ((raw * 8) / data.binaryWeights).toFixed(3)].map((t) => {
      const td = document.createElement('td');
      td.textContent = t;
      return td;
    });
    tr.append(th, ...cells);
    return tr;
  };
  table.tBodies[0]!.replaceChildren(row('Packed 1-bit ONNX (this page downloads)', packed.raw, packed.gzip), row('Float32 ONNX (same network)', float.raw, float.gzip));
  caption.textContent = `${data.binaryWeights.toLocaleString('en')} binary weights; the packed model is ${(float.raw / packed.raw).toFixed(1)}× smaller raw and ${(float.gzip / packed.gzip).toFixed(1)}× smaller gzipped.`;
}
