/**
 * The in-page validation: classifies the bundled CIFAR-10 samples in one batch with the chosen model
 * and reports agreement with onnxruntime-node's recorded top-1, and accuracy against the true labels
 * when they are the model's classes (not for the CIFAR-100 plain net). The table rows carry the raw
 * class indices in data attributes for the end-to-end test.
 */
import type { BrowserModel } from '@onebit/runtime';
import type { AppData, ModelChoice } from '../build/generate-assets.js';

export interface ValidationResult {
  readonly correct: number;
  readonly agree: number;
  readonly total: number;
  readonly ms: number;
}

export async function runValidation(model: BrowserModel, data: AppData, choice: ModelChoice, images: readonly HTMLImageElement[], summary: HTMLElement, table: HTMLTableElement): Promise<ValidationResult> {
  summary.dataset['state'] = 'running';
  summary.textContent = `Classifying ${images.length} images…`;
  const start = performance.now();
  const ranked = await model.classifyBatch(images, { topK: 1 });
  const ms = performance.now() - start;
  let correct = 0;
  let agree = 0;
  const rows = data.samples.map((s, i) => {
    const top1 = ranked[i]![0]!.index;
    const nodeTop1 = choice.nodeTop1[i]!;
    if (top1 === s.label) correct++;
    if (top1 === nodeTop1) agree++;
    const tr = document.createElement('tr');
    tr.dataset['index'] = String(s.index);
    tr.dataset['browserTop1'] = String(top1);
    tr.dataset['nodeTop1'] = String(nodeTop1);
    tr.dataset['label'] = String(s.label);
    // The true label is a CIFAR-10 class whatever the model; the answers are the model's classes.
    const cells = [`#${s.index}`, data.classes[s.label]!, choice.classes[top1]!, choice.classes[nodeTop1]!, top1 === nodeTop1 ? 'yes' : 'NO'];
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
  const accuracy = choice.scoresSampleLabels ? `Accuracy ${correct}/${n} (${((100 * correct) / n).toFixed(0)} %)` : `No accuracy: these CIFAR-10 images are not among this model's ${choice.classes.length} classes`;
  summary.textContent = `${accuracy}; agreement with onnxruntime-node ${agree}/${n}; ${ms.toFixed(0)} ms for the batch (${(ms / n).toFixed(1)} ms per image).`;
  if (choice.scoresSampleLabels) summary.dataset['correct'] = String(correct);
  else delete summary.dataset['correct'];
  summary.dataset['agree'] = String(agree);
  summary.dataset['state'] = 'done';
  return { correct, agree, total: n, ms };
}
