/**
 * Untrusted text (a dataset name from a file or folder name, a title) put into one line of a text
 * file the app writes: a RecBole YAML comment, the bundle README. A line break there would start a
 * new line that a parser reads (YAML keys under a comment) or a reader takes as the app's own, so
 * every line / paragraph separator and other control character becomes a space.
 */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
