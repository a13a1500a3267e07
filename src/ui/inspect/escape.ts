/**
 * Escaping for the one place the inspection views hand strings to HTML: ECharts' tooltip
 * formatter, whose return value is set as innerHTML. Titles and ids come from uploaded data and
 * can be hostile (`<img onerror=…>`). Everything else is rendered by React (text nodes) or on
 * canvas (ECharts legends and labels are plain canvas text unless `rich` styles are set, which
 * this app never does; ECharts' own default tooltip formatter escapes names and values).
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Longest label a tooltip or list shows; longer ones are cut with '…' (titles can be 10k characters). */
export const MAX_LABEL_CHARS = 200;

/** `s` cut to at most `max` characters (code points, so no surrogate pair is split), '…' marking a cut. */
export function clipText(s: string, max = MAX_LABEL_CHARS): string {
  if (s.length <= max) return s;
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, max - 1).join('') + '…';
}

/** Tooltip body: clipped, escaped lines joined by <br/> (the only markup). */
export function tooltipHtml(lines: string[]): string {
  return lines.map((l) => escapeHtml(clipText(l))).join('<br/>');
}
