/**
 * Untrusted text (a dataset name from a file or folder name, a title) put into one line of a text
 * file the app writes: a RecBole YAML comment, the bundle README. A line break there would start a
 * new line that a parser reads (YAML keys under a comment) or a reader takes as the app's own, so
 * every line / paragraph separator and other control character becomes a space.
 */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/** Longest label a tooltip or list shows; longer ones are cut with '…' (titles can be 10k characters). */
export const MAX_LABEL_CHARS = 200;

/**
 * `s` when it has at most `max` characters, else its first `keep` characters and '…' (characters
 * are code points, so no surrogate pair is split). The default `keep` makes the result at most
 * `max` long.
 */
export function clipText(s: string, max = MAX_LABEL_CHARS, keep = max - 1): string {
  if (s.length <= max) return s;
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, keep).join('') + '…';
}
