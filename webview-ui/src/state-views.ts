// What the panel shows instead of the grid: loading, no differences, no matches, failure.
import { el } from './dom';

export function loadingView(text: string): HTMLElement {
  return el(
    'div',
    { class: 'state loading', role: 'status', 'aria-live': 'polite' },
    el('div', { class: 'progress-bar', 'aria-hidden': 'true' }),
    el('p', { class: 'state-title' }, text),
  );
}

export function noDifferencesView(a: string, b: string): HTMLElement {
  return el(
    'div',
    { class: 'state empty', role: 'status' },
    el('p', { class: 'state-title' }, 'No differences'),
    el('p', { class: 'state-detail' }, `${a} and ${b} have the same schema and data.`),
  );
}

export function noMatchesView(search: string): HTMLElement {
  return el(
    'div',
    { class: 'state empty', role: 'status' },
    el('p', { class: 'state-title' }, 'No matching rows'),
    el('p', { class: 'state-detail' }, `No changed row in this selection contains “${search.trim()}”.`),
  );
}

export function errorView(message: string): HTMLElement {
  return el('div', { class: 'state error', role: 'alert' }, el('p', { class: 'state-title' }, 'Could not show the diff'), el('p', { class: 'state-detail' }, message));
}

/** A dismissible message above the grid, for failures while a diff is shown. */
export function errorBanner(message: string): HTMLElement {
  const banner = el('div', { class: 'banner', role: 'alert' }, el('span', { class: 'banner-text' }, message));
  const close = el('button', { type: 'button', class: 'icon', 'aria-label': 'Dismiss message', title: 'Dismiss' }, '×');
  close.addEventListener('click', () => banner.remove());
  banner.append(close);
  return banner;
}
