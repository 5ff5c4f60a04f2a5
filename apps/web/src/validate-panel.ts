/**
 * The in-page validation: classifies the bundled CIFAR-10 samples in one batch and reports accuracy
 * against the true labels and agreement with onnxruntime-node's recorded top-1. The table rows
 * carry the raw class indices in data attributes for the end-to-end test.
 */
import type { BrowserModel } from '@onebit/runtime';
import type { AppData } from '../build/generate-assets.js';

export interface ValidationResult {
  readonly correct: number;
  readonly agree: number;
  readonly total: number;
  readonly ms: number;
}

export async function runValidation(model: BrowserModel, data: AppData, images: readonly HTMLImageElement[], summary: HTMLElement, table: HTMLTableElement): Promise<ValidationResult> {
  summary.dataset['state'] = 'running';
  summary.textContent = `Classifying ${images.length} images…`;
  const start = performance.now();
  const ranked = await model.classifyBatch(images, { topK: 1 });
  const ms = performance.now() - start;
  let correct = 0;
  let agree = 0;
  const rows = data.samples.map((s, i) => {
    const top1 = ranked[i]![0]!.index;
    if (top1 === s.label) correct++;
    if (top1 === s.nodeTop1) agree++;
    const tr = document.createElement('tr');
    tr.dataset['index'] = String(s.index);
    tr.dataset['browserTop1'] = String(top1);
    tr.dataset['nodeTop1'] = String(s.nodeTop1);
    tr.dataset['label'] = String(s.label);
    const cells = [`#${s.index}`, data.classes[s.label]!, data.classes[top1]!, data.classes[s.nodeTop1]!, top1 === s.nodeTop1 ? 'yes' : 'NO'];
    tr.append(...cells.map((t, c) => {
      const cell = document.createElement(c === 0 ? 'th' : 'td');
      if (c === 0) (cell as HTMLTableCellElement).scope = 'row';
      cell.textContent = t;
      return cell;
    }));
    return tr;
  });
  table.tBodies[0]!.replaceChildren(...rows);
  table.hidden = false;
  const n = data.samples.length;
  summary.textContent = `Accuracy ${correct}/${n} (${((100 * correct) / n).toFixed(0)} %); agreement with onnxruntime-node ${agree}/${n}; ${ms.toFixed(0)} ms for the batch (${(ms / n).toFixed(1)} ms per image).`;
  summary.dataset['correct'] = String(correct);
  summary.dataset['agree'] = String(agree);
  summary.dataset['state'] = 'done';
  return { correct, agree, total: n, ms };
}
