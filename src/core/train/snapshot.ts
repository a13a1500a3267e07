import * as tf from '@tensorflow/tfjs';
import type { Trainer } from './trainer';
import { DaRecAlignment } from '../align/index';
import { uniqueBuffers } from '../transfer';

type Space = { cf: Float32Array; llm?: Float32Array; sharedCF?: Float32Array; sharedLLM?: Float32Array; specificCF?: Float32Array; specificLLM?: Float32Array };

/** Representations at one epoch, for the Inspect views (rows = all users or all items, row-major). */
export interface Snapshot {
  epoch: number;
  dim: number;
  users: Space;
  items: Space;
  /** Row widths per space: cf, llm, shared (specific spaces have the shared width). */
  dims: Record<string, number>;
  /** Cluster of each user, then each item (DaRec's preference clusters). */
  clusters?: Int32Array;
}

/**
 * The representations the Inspect views show, read back from the device: the
 * backbone's CF embeddings, the frozen LLM vectors, and for DaRec the four
 * projected spaces and the preference clusters.
 */
export async function takeSnapshot(t: Trainer, epoch: number): Promise<Snapshot> {
  const cf = t.cfEmbeddings();
  const llm = t.llmTables();
  const tensors: tf.Tensor[] = [cf.users, cf.items];
  try {
    const read = async (x: tf.Tensor2D | null | undefined) => (x ? ((await x.data()) as Float32Array) : undefined);
    const dims: Record<string, number> = { cf: cf.users.shape[1] };
    const snap: Snapshot = {
      epoch,
      dim: cf.users.shape[1],
      users: { cf: (await read(cf.users))!, llm: await read(llm?.users) },
      items: { cf: (await read(cf.items))!, llm: await read(llm?.items) },
      dims,
    };
    if (llm) dims.llm = llm.users.shape[1];
    const a = t.alignment;
    if (a instanceof DaRecAlignment && llm) {
      const sp = a.spaces(cf.users, cf.items, llm.users, llm.items);
      for (const side of ['users', 'items'] as const) {
        const s = sp[side];
        tensors.push(...[s.sharedCF, s.sharedLLM, s.specificCF, s.specificLLM].filter((x): x is tf.Tensor2D => !!x));
        Object.assign(snap[side], {
          sharedCF: await read(s.sharedCF), sharedLLM: await read(s.sharedLLM),
          specificCF: await read(s.specificCF), specificLLM: await read(s.specificLLM),
        });
        dims.shared = s.sharedCF.shape[1];
      }
      const c = a.clusters();
      if (c) snap.clusters = c.slice();
    }
    return snap;
  } finally {
    tf.dispose(tensors);
  }
}

/** Every typed array of a snapshot, for zero-copy postMessage transfer. */
export function snapshotBuffers(s: Snapshot): ArrayBuffer[] {
  return uniqueBuffers([...Object.values(s.users), ...Object.values(s.items), s.clusters]);
}
