/**
 * Column mapping shared by the delimited formats and the mapping form: a column
 * is named by 0-based index or by header name (case-insensitive), so a mapping
 * survives a reordered file and is readable in a URL.
 */
import { DataError, quoteValue } from '../errors';

export type ColumnRef = number | string;

export interface InteractionColumns {
  user: ColumnRef;
  item: ColumnRef;
  rating?: ColumnRef;
  timestamp?: ColumnRef;
}

/** Index of a column, or a DataError naming the header line when a named column is missing. */
export function resolveColumn(ref: ColumnRef, header: readonly string[] | null, file: string, role: string): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0) throw new DataError({ file, expected: `a column index >= 0 for ${role}`, got: String(ref) });
    return ref;
  }
  if (!header) throw new DataError({ file, expected: `a header line to find the ${role} column "${ref}"`, got: 'a file without a header' });
  const want = ref.trim().toLowerCase();
  const k = header.findIndex(h => h.trim().toLowerCase() === want);
  if (k === -1) {
    throw new DataError({ file, line: 1, expected: `a column named "${ref}" (${role}) in the header`, got: quoteValue(header.join(','), 80) });
  }
  return k;
}

/** Where the interactions are in a delimited file (generic CSV/TSV, split folders). */
export interface DelimitedInteractionMapping extends InteractionColumns {
  /** Which dropped file holds the interactions (name as listed); detection's choice when absent. */
  file?: string;
  delimiter: string;
  header: boolean;
  /** RFC 4180 quotes; default true. */
  quotes?: boolean;
}

/** Where the item text is in a delimited metadata file. */
export interface ItemMetaMapping {
  file: string;
  delimiter: string;
  header: boolean;
  quotes?: boolean;
  id: ColumnRef;
  title?: ColumnRef;
  description?: ColumnRef;
  categories?: ColumnRef;
  /** Between categories inside the categories field; default "|". */
  categorySeparator?: string;
}

/**
 * The user's (or detection's) answer to "which column is what". For JSON lines
 * the interaction refs are field names. Lives in PreprocessConfig so a dataset
 * is rebuilt identically.
 */
export interface ColumnMapping {
  interactions?: DelimitedInteractionMapping;
  items?: ItemMetaMapping;
  /** JSON lines (Amazon reviews): field names of each role. */
  json?: JsonInteractionFields;
}

export interface JsonInteractionFields {
  user: string;
  item: string;
  rating?: string;
  timestamp?: string;
}
