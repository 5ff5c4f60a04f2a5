/**
 * The HTML report: one self-contained file (no network, no external scripts, fonts or images) with
 * the summary, the checks, a confusion-matrix heat map (a canvas drawn by an inline script from the
 * matrix's non-zero cells, rows normalised per true class, with axis titles and, for up to 20
 * classes, class-name tick labels from heat-map.ts), per-class accuracy bars and the
 * misclassified images as embedded `data:` thumbnails with their top-3 predictions.
 */
import type { Check } from './gates.js';
import { HEAT_MAP_CSS, HEAT_MAP_PIXELS, heatMapHtml } from './heat-map.js';
import type { ReportJson } from './merge-reports.js';

export interface HtmlReportOptions {
  title?: string;
  classNames?: readonly string[];
  checks?: readonly Check[];
  /** image index → data: URI, for the misclassified images to show. */
  thumbnails?: Readonly<Record<number, string>>;
  /** Most misclassified images shown (default 200). */
  maxMisclassified?: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

/** Indices (in the whole data set) of the images whose top-1 class is not their label. */
export function misclassified(report: Pick<ReportJson, 'predictions' | 'labels' | 'range'>): number[] {
  const out: number[] = [];
  report.predictions.forEach((p, i) => {
    if (p !== report.labels[i]) out.push(report.range.start + i);
  });
  return out;
}

export function renderHtmlReport(report: ReportJson, options: HtmlReportOptions = {}): string {
  const names = options.classNames ?? [];
  const cls = (i: number): string => names[i] ?? String(i);
  const errorsTop1 = Math.round(report.top1Error * report.n);
  const rows: [string, string][] = [
    ['model', String(report.model ?? '')],
    ['data', String(report.data ?? '')],
    ['images', `${report.n}${report.range.total !== report.n ? ` (images ${report.range.start}–${report.range.end - 1} of ${report.range.total})` : ''} — a small subset: read the 95 % confidence interval`],
    ['runtime', report.runtimeName],
    ['preprocess', `${report.preprocess}: ${report.preprocessDescription}`],
    ...(report.resizeFilter ? [['resize filter', report.resizeFilter] as [string, string]] : []),
    ['top-1 error', `${pct(report.top1Error)} (${errorsTop1}/${report.n}), 95 % CI ${pct(report.top1ErrorCI95[0])} – ${pct(report.top1ErrorCI95[1])}`],
    ['top-5 error', pct(report.top5Error)],
    ['throughput', `${report.throughput.toFixed(1)} images/s; ${report.batchLatencyMs.toFixed(1)} ms per batch of ${report.batchSize}`],
  ];
  if (report.agreement !== undefined) rows.push(['reference parity', `top-1 agreement ${pct(report.agreement)}, max |Δlogit| ${report.maxAbsLogitDiff?.toExponential(2)}`]);
  for (const p of report.crossRuntime ?? []) rows.push([`${p.a} vs ${p.b}`, `top-1 agreement ${pct(p.agreement)}, max |Δlogit| ${p.maxAbsLogitDiff.toExponential(2)}`]);

  const cells: number[] = [];
  report.confusion.forEach((row, t) => row.forEach((c, p) => {
    if (c) cells.push(t, p, c);
  }));
  const bars = report.perClassAccuracy.map((a, i) => `<tr><td>${i}</td><td>${esc(cls(i))}</td><td>${report.perClassCount[i]}</td><td>${a === null ? '—' : pct(a)}</td><td class="bar"><div style="width:${a === null ? 0 : (100 * a).toFixed(1)}%"></div></td></tr>`);
  const wrong = misclassified(report);
  const shown = wrong.slice(0, options.maxMisclassified ?? 200);
  const figures = shown.map((i) => {
    const row = report.topK[i - report.range.start]!;
    const label = report.labels[i - report.range.start]!;
    const src = options.thumbnails?.[i];
    const img = src ? `<img src="${src}" alt="image ${i}">` : '<div class="noimg">no image</div>';
    return `<figure>${img}<figcaption>#${i} true <b>${esc(cls(label))}</b><ol>${row.slice(0, 3).map((c) => `<li${c === label ? ' class="hit"' : ''}>${esc(cls(c))}</li>`).join('')}</ol></figcaption></figure>`;
  });
  const checks = options.checks ?? [];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(options.title ?? 'onebit validation report')}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.pass{color:#17692b}.fail{color:#b00020;font-weight:bold}
.bar{width:240px}.bar div{background:#3b6fb6;height:10px}
#heat{border:1px solid #999;image-rendering:pixelated}
.gallery{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0;width:150px;font-size:12px}
figure img{width:96px;height:96px;image-rendering:pixelated;border:1px solid #999}
figure ol{margin:2px 0 0 18px;padding:0}.hit{color:#17692b}.noimg{width:96px;height:96px;background:#eee}
.perclass{max-height:480px;overflow:auto;display:inline-block}
${HEAT_MAP_CSS}
</style></head><body>
<h1>${esc(options.title ?? 'onebit validation report')}</h1>
<h2>Summary</h2>
<table id="summary">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
${checks.length ? `<h2>Checks</h2><ul id="checks">${checks.map((c) => `<li class="${c.passed ? 'pass' : 'fail'}">${esc(c.message)}</li>`).join('')}</ul>` : ''}
<h2>Confusion matrix</h2>
<p>Rows: true class, columns: predicted class; colour = fraction of the row's images (white 0 → dark blue 1). ${report.numClasses} classes.</p>
${heatMapHtml(report.numClasses, names)}
<h2>Per-class accuracy</h2>
<div class="perclass"><table id="perclass"><tr><th>#</th><th>class</th><th>images</th><th>accuracy</th><th></th></tr>${bars.join('')}</table></div>
<h2>Misclassified images (${wrong.length}${shown.length < wrong.length ? `, first ${shown.length} shown` : ''})</h2>
<div class="gallery" id="misclassified">${figures.join('')}</div>
<script>
(function () {
  var n = ${report.numClasses}, cells = ${JSON.stringify(cells)}, counts = ${JSON.stringify(report.perClassCount)};
  var cell = Math.max(1, Math.floor(${HEAT_MAP_PIXELS} / Math.max(1, n))), canvas = document.getElementById('heat');
  canvas.width = canvas.height = n * cell;
  var g = canvas.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, n * cell, n * cell);
  for (var i = 0; i < cells.length; i += 3) {
    var t = cells[i], p = cells[i + 1], f = cells[i + 2] / Math.max(1, counts[t]);
    g.fillStyle = 'rgb(' + Math.round(255 - 225 * f) + ',' + Math.round(255 - 190 * f) + ',' + Math.round(255 - 90 * f) + ')';
    g.fillRect(p * cell, t * cell, cell, cell);
    if (cell >= 24) { g.fillStyle = f > 0.5 ? '#fff' : '#000'; g.font = '11px sans-serif'; g.fillText(String(cells[i + 2]), p * cell + 3, t * cell + cell / 2 + 4); }
  }
  canvas.dataset.drawn = String(cells.length / 3);
})();
</script>
</body></html>
`;
}
