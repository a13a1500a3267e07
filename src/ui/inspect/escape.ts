/**
 * Escaping for the one place the inspection views hand strings to HTML: ECharts' tooltip
 * formatter, whose return value is set as innerHTML. Titles and ids come from uploaded data and
 * can be hostile (`<img onerror=…>`). Everything else is rendered by React (text nodes) or on
 * canvas.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Tooltip body: escaped lines joined by <br/> (the only markup). */
export function tooltipHtml(lines: string[]): string {
  return lines.map(escapeHtml).join('<br/>');
}
