/** Renders ranked classes as an ordered list with a bar per class and its percentage as text. */
import type { Classification } from '@onebit/runtime';

export function renderTop5(list: HTMLOListElement, ranked: readonly Classification[]): void {
  list.replaceChildren(
    ...ranked.map((c) => {
      const li = document.createElement('li');
      const pct = c.probability * 100;
      const text = pct >= 0.1 ? `${pct.toFixed(1)} %` : '< 0.1 %';
      li.dataset['index'] = String(c.index);
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = c.label;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.setAttribute('aria-hidden', 'true');
      const fill = document.createElement('span');
      fill.style.width = `${Math.max(pct, 0.5).toFixed(2)}%`;
      bar.append(fill);
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = text;
      li.append(name, bar, value);
      return li;
    }),
  );
}
