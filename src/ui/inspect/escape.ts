/**
 * Escaping for the one place the inspection views hand strings to HTML: ECharts' tooltip
 * formatter, whose return value is set as innerHTML. Titles and ids come from uploaded data and
 * can be hostile (`<img onerror=…>`). Everything else is rendered by React (text nodes) or on
 * canvas (ECharts legends and labels are plain canvas text unless `rich` styles are set, which
 * this app never does; ECharts' own default tooltip formatter escapes names and values).
 */
import { clipText } from '../../core/io/oneLine';

/** Clipping lives in core (data errors quote values the same way); re-exported for the views. */
export { clipText, MAX_LABEL_CHARS } from '../../core/io/oneLine';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Tooltip body: clipped, escaped lines joined by <br/> (the only markup). */
export function tooltipHtml(lines: string[]): string {
  return lines.map((l) => escapeHtml(clipText(l))).join('<br/>');
}
