/**
 * A folder with the split already made: train / val (valid, validation, dev) /
 * test files of `user_id<TAB>item_id` (header or not), the layout of the RLMRec
 * Amazon-book TSVs. Each file's rows keep their split ('given').
 */
import type { DelimitedInteractionMapping } from './columns';
import { genericInteractionParser } from './generic';
import type { InteractionSink, SplitLabel } from './sink';
import { baseName } from './source';
import type { ChunkParser } from './textParser';

/** Split of a file by its name ("train.tsv", "ml.valid.inter", "test.txt"), if it names one. */
export function splitLabelOf(name: string): SplitLabel | undefined {
  const b = baseName(name).toLowerCase();
  const parts = b.split('.');
  const stem = parts.length > 1 ? parts[parts.length - 2]! : b;
  if (/^(train|training|trn)$/.test(stem)) return 0;
  if (/^(val|valid|validation|dev)$/.test(stem)) return 1;
  if (/^(test|testing|tst)$/.test(stem)) return 2;
  return undefined;
}

export function splitFileParser(file: string, label: SplitLabel, m: DelimitedInteractionMapping, sink: InteractionSink): ChunkParser {
  return genericInteractionParser(file, m, sink, label);
}
