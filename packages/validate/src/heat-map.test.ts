/**
 * Tests of the heat map's markup: axis titles always, one escaped tick label per class sized to the
 * canvas cells up to 20 classes, none for 1000 classes (the rendered report is checked in Chromium
 * by html-report.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { MAX_TICK_CLASSES, heatCellPixels, heatMapHtml } from './heat-map.js';

const count = (html: string, s: string): number => html.split(s).length - 1;

describe('heat map markup', () => {
  it('labels both axes and every class of a 10-class matrix, sized to 60-pixel cells', () => {
    const html = heatMapHtml(10, ['airplane', 'a<b>&"c"']);
    expect(html).toContain('<div class="ytitle" id="heat-ytitle">true class</div>');
    expect(html).toContain('<div class="xtitle" id="heat-xtitle">predicted class</div>');
    expect(heatCellPixels(10)).toBe(60);
    expect(count(html, '<span style="height:60px"')).toBe(10);
    expect(count(html, '<span style="width:60px"')).toBe(10);
    expect(html).toContain('title="airplane">airplane</span>');
    expect(html).toContain('>a&lt;b&gt;&amp;&quot;c&quot;</span>');
    expect(html).toContain('title="9">9</span>');
    expect(html).toContain('<canvas id="heat" width="600" height="600"');
  });

  it('keeps only the titles above 20 classes', () => {
    expect(MAX_TICK_CLASSES).toBe(20);
    expect(count(heatMapHtml(20), '<span')).toBe(40);
    const html = heatMapHtml(1000, Array.from({ length: 1000 }, (_, i) => `class ${i}`));
    expect(count(html, '<span')).toBe(0);
    expect(html).toContain('true class');
    expect(html).toContain('predicted class');
    expect(html).toContain('<canvas id="heat" width="1000" height="1000"');
  });
});
