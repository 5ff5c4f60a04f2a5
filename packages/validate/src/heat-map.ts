/**
 * The markup around the HTML report's confusion-matrix canvas: the axis titles ("true class" down
 * the rows, "predicted class" along the columns) and, for at most 20 classes, one tick label per
 * class, sized in CSS pixels to the canvas cells so each name sits beside its row and under its
 * column (the 1-pixel padding matches the canvas border). Plain HTML and CSS only, so the report stays a single offline file.
 */

/** Most classes that get a tick label per row and column; more only get the axis titles. */
export const MAX_TICK_CLASSES = 20;

/** Canvas size of the heat map, in CSS pixels (cells are whole pixels, so n·cell ≤ this). */
export const HEAT_MAP_PIXELS = 600;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Side of one cell for `n` classes, as the drawing script computes it. */
export function heatCellPixels(n: number): number {
  return Math.max(1, Math.floor(HEAT_MAP_PIXELS / Math.max(1, n)));
}

export const HEAT_MAP_CSS = `.heatmap{display:inline-grid;grid-template-columns:auto auto auto;grid-template-rows:auto auto auto;align-items:stretch}
.heatmap .ytitle{grid-row:1;grid-column:1;writing-mode:vertical-rl;transform:rotate(180deg);text-align:center;font-weight:bold;padding-right:4px}
.heatmap .yticks{grid-row:1;grid-column:2;display:flex;flex-direction:column;padding:1px 4px 0 0}
.heatmap .yticks span{display:flex;align-items:center;justify-content:flex-end;max-width:160px;overflow:hidden;white-space:nowrap;font-size:12px}
.heatmap canvas{grid-row:1;grid-column:3}
.heatmap .xticks{grid-row:2;grid-column:3;display:flex;flex-direction:row;padding-left:1px}
.heatmap .xticks span{writing-mode:vertical-rl;transform:rotate(180deg);display:flex;align-items:center;justify-content:flex-end;max-height:120px;overflow:hidden;white-space:nowrap;font-size:12px;padding-top:2px}
.heatmap .xtitle{grid-row:3;grid-column:3;text-align:center;font-weight:bold;padding-top:4px}`;

/** The heat map's grid: titles, tick labels when n ≤ 20, and the canvas the report's script draws on. */
export function heatMapHtml(n: number, classNames: readonly string[] = []): string {
  const cell = heatCellPixels(n);
  const name = (i: number): string => esc(classNames[i] ?? String(i));
  const ticks = n <= MAX_TICK_CLASSES;
  const y = ticks ? `<div class="yticks" id="heat-yticks">${Array.from({ length: n }, (_, i) => `<span style="height:${cell}px" title="${name(i)}">${name(i)}</span>`).join('')}</div>` : '';
  const x = ticks ? `<div class="xticks" id="heat-xticks">${Array.from({ length: n }, (_, i) => `<span style="width:${cell}px" title="${name(i)}">${name(i)}</span>`).join('')}</div>` : '';
  return `<div class="heatmap" id="heatmap"><div class="ytitle" id="heat-ytitle">true class</div>${y}<canvas id="heat" width="${n * cell}" height="${n * cell}" style="width:${n * cell}px;height:${n * cell}px"></canvas>${x}<div class="xtitle" id="heat-xtitle">predicted class</div></div>`;
}
