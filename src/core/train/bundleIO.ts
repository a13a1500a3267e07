/**
 * Connects a Trainer to the export bundle (src/core/io/bundle.ts): `exportRun` reads a trained
 * run into BundleContents, `importRun` puts a bundle's weights back into a Trainer so it can be
 * evaluated or trained on. Browser-safe (no node: imports); the CLI and the page write / read the
 * zip bytes themselves (`buildBundle` / `readBundle`).
 *
 * What a bundle carries and what it does not: the trainable weights (bitwise), the final CF tables,
 * DaRec's four spaces and its last cluster assignments (as `clusters_users` / `clusters_items`,
 * float32 [n, 1] holding integer cluster ids; not read back: DaRec re-clusters at the first epoch
 * of a continued run), config, metrics, history, id maps. Not carried: the Adam moments and the
 * random streams, so a continued run restarts its optimiser (its first steps differ from an
 * uninterrupted run's) and its epoch count.
 */
import * as tf from '@tensorflow/tfjs';
import type { DaRecAlignment } from '../align/darec/darec';
import { applyAblation, resolveDaRecConfig } from '../align/darec/config';
import {
  bundleDatasetInfo,
  checkBundleAgainstDataset,
  idMapsOf,
  weightLayoutFor,
  type BundleContents,
  type BundleEmbedding,
  type BundleWeight,
} from '../io/bundle';
import type { HistoryEntry } from '../io/history';
import type { Trainer, TrainResult } from './trainer';

export interface ExportOptions {
  /** Also store the frozen LLM inputs as llm_users / llm_items (default off: they are inputs, and large). */
  includeLlm?: boolean;
  /** Also store the training split (default on: lets the README snippet mask seen items). */
  includeTrainInteractions?: boolean;
  /** Extra fields merged into metrics.json (e.g. backend). */
  extraMetrics?: Record<string, unknown>;
}

/** Loss and validation history of a finished run, merged by epoch, for history.csv. */
export function runHistory(result: Pick<TrainResult, 'history' | 'lossHistory'> | null): HistoryEntry[] {
  if (!result) return [];
  const byEpoch = new Map<number, HistoryEntry>();
  const at = (epoch: number) => {
    let e = byEpoch.get(epoch);
    if (!e) byEpoch.set(epoch, (e = { epoch }));
    return e;
  };
  for (const l of result.lossHistory ?? []) at(l.epoch).loss = { ...l.loss };
  for (const v of result.history) at(v.epoch).val = { ...v.val };
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

function isDaRec(t: Trainer): DaRecAlignment | null {
  return t.alignment?.name === 'darec' ? (t.alignment as DaRecAlignment) : null;
}

/** Reads a tensor back as an owned Float32Array (never a view into backend memory). */
async function readFloat(t: tf.Tensor): Promise<Float32Array> {
  const d = await t.data();
  if (!(d instanceof Float32Array)) throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  return new Float32Array(d);
}

async function embedding(t: tf.Tensor2D): Promise<BundleEmbedding> {
  return { rows: t.shape[0], cols: t.shape[1], data: await readFloat(t) };
}

/** Every trainable variable of the trainer by its logical (export) name. */
export function namedTrainerVariables(trainer: Trainer): Record<string, tf.Variable> {
  if (!trainer.backbone || !trainer.alignment) throw new Error('the trainer has no model yet: call trainer.init() (or run it) first');
  const b = trainer.backbone.namedVariables();
  const a = trainer.alignment.namedVariables();
  for (const k of Object.keys(a)) if (k in b) throw new Error(`weight name "${k}" is used by both the backbone and the alignment`);
  return { ...b, ...a };
}

/**
 * The run as bundle contents (weights in app layout, flagged for PyTorch). `history` is what
 * history.csv gets (see `runHistory`). Leaves the tensor count unchanged.
 */
export async function exportRun(
  trainer: Trainer,
  result: TrainResult | null,
  history: { epoch: number; loss?: Record<string, number>; val?: Record<string, number> }[],
  opts: ExportOptions = {},
): Promise<BundleContents> {
  const ds = trainer.dataset;
  const weights: Record<string, BundleWeight> = {};
  for (const [name, v] of Object.entries(namedTrainerVariables(trainer))) {
    const w: BundleWeight = { shape: [...v.shape], data: await readFloat(v) };
    const layout = weightLayoutFor(name, v.shape);
    if (layout) w.layout = layout;
    weights[name] = w;
  }

  const embeddings: Record<string, BundleEmbedding> = {};
  const metrics: Record<string, unknown> = {};
  const cf = trainer.cfEmbeddings();
  const owned: tf.Tensor[] = [cf.users, cf.items];
  try {
    embeddings.cf_users = await embedding(cf.users);
    embeddings.cf_items = await embedding(cf.items);
    const darec = isDaRec(trainer);
    if (darec && darec.cfg.scoring !== 'cf') {
      const s = trainer.alignment!.scoringEmbeddings(cf.users, cf.items);
      owned.push(s.users, s.items);
      embeddings.score_users = await embedding(s.users);
      embeddings.score_items = await embedding(s.items);
    }
    const llm = trainer.llm;
    if (llm && opts.includeLlm) {
      embeddings.llm_users = { rows: ds.numUsers, cols: llm.dim, data: new Float32Array(llm.users) };
      embeddings.llm_items = { rows: ds.numItems, cols: llm.dim, data: new Float32Array(llm.items) };
    }
    if (darec && llm) {
      const lu = tf.tensor2d(llm.users, [ds.numUsers, llm.dim]);
      const li = tf.tensor2d(llm.items, [ds.numItems, llm.dim]);
      owned.push(lu, li);
      const sp = darec.spaces(cf.users, cf.items, lu, li);
      for (const side of ['users', 'items'] as const) {
        const s = sp[side];
        owned.push(s.sharedCF, s.sharedLLM, ...(s.specificCF ? [s.specificCF] : []), ...(s.specificLLM ? [s.specificLLM] : []));
      }
      for (const side of ['users', 'items'] as const) {
        const s = sp[side];
        embeddings[`shared_cf_${side}`] = await embedding(s.sharedCF);
        embeddings[`shared_llm_${side}`] = await embedding(s.sharedLLM);
        if (s.specificCF) embeddings[`specific_cf_${side}`] = await embedding(s.specificCF);
        if (s.specificLLM) embeddings[`specific_llm_${side}`] = await embedding(s.specificLLM);
      }
      const clusters = darec.clusters();
      if (clusters && clusters.length === ds.numUsers + ds.numItems) {
        const f = Float32Array.from(clusters);
        embeddings.clusters_users = { rows: ds.numUsers, cols: 1, data: f.slice(0, ds.numUsers) };
        embeddings.clusters_items = { rows: ds.numItems, cols: 1, data: f.slice(ds.numUsers) };
        let k = 0;
        for (const c of clusters) k = Math.max(k, c + 1);
        metrics.darec = {
          clusterEpoch: darec.clusterEpoch(),
          clusterIds: k,
          clusterFiles: 'embeddings/clusters_users.npy, clusters_items.npy: cluster id of each node (LLM side), float32 [n, 1]',
        };
      }
    }
  } finally {
    tf.dispose(owned);
  }

  if (result) {
    Object.assign(metrics, {
      test: result.test,
      bestEpoch: result.bestEpoch,
      epochs: result.epochs,
      stoppedEarly: result.stoppedEarly,
      epochMs: result.epochMs,
    });
  }
  if (trainer.llm) metrics.llmDim = trainer.llm.dim;
  Object.assign(metrics, opts.extraMetrics ?? {});

  const contents: BundleContents = {
    version: 1,
    config: structuredClone(trainer.config),
    weights,
    embeddings,
    metrics,
    history: history.map((h) => ({ epoch: h.epoch, ...(h.loss ? { loss: { ...h.loss } } : {}), ...(h.val ? { val: { ...h.val } } : {}) })),
    idMaps: idMapsOf(ds),
    dataset: bundleDatasetInfo(ds),
  };
  if (opts.includeTrainInteractions ?? true) {
    contents.trainInteractions = { users: ds.train.users.slice(), items: ds.train.items.slice() };
  }
  return contents;
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Architecture fields that must agree between the bundle's config and the trainer's. */
function configProblems(bundle: BundleContents, trainer: Trainer): string[] {
  const b = bundle.config, t = trainer.config;
  const p: string[] = [];
  const same = (what: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) p.push(`${what}: the bundle has ${JSON.stringify(x)}, this run ${JSON.stringify(y)}`);
  };
  same('backbone', b.model.backbone, t.model.backbone);
  same('embedding size', b.model.embeddingSize, t.model.embeddingSize);
  same('layers', b.model.layers, t.model.layers);
  same('layer combination', b.model.combine, t.model.combine);
  same('alignment', b.align.method, t.align.method);
  if (b.align.method === 'darec' && t.align.method === 'darec') {
    // The one DaRec option that changes what evaluation scores with.
    const scoring = (c: typeof b) => {
      const base = resolveDaRecConfig(c.align.options.darec);
      return (c.align.options.ablation ? applyAblation(base, c.align.options.ablation) : base).scoring;
    };
    same('DaRec scoring', scoring(b), scoring(t));
  }
  return p;
}

function list(title: string, problems: string[]): string {
  const shown = problems.slice(0, 12);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
  return `${title}:\n- ${shown.join('\n- ')}`;
}

/**
 * Loads a bundle's weights into `trainer` (calling `init()` first when it has no model yet), after
 * checking the bundle belongs to the trainer's dataset and every weight matches by name and shape.
 * Nothing is assigned unless every check passes. Afterwards `trainer.evaluate('test')` reproduces
 * the exported metrics and `trainer.run()` continues from these weights (a fresh optimiser).
 */
export async function importRun(trainer: Trainer, bundle: BundleContents): Promise<void> {
  const dsProblems = checkBundleAgainstDataset(bundle, trainer.dataset);
  if (dsProblems.length > 0) throw new Error(list(`This bundle does not belong to the loaded dataset "${trainer.dataset.name}"`, dsProblems));
  const cfgProblems = configProblems(bundle, trainer);
  if (cfgProblems.length > 0) throw new Error(list("The bundle's model differs from this run's configuration", cfgProblems));

  if (!trainer.backbone) trainer.init();
  const vars = namedTrainerVariables(trainer);
  const p: string[] = [];
  for (const [name, v] of Object.entries(vars)) {
    const w = bundle.weights[name];
    if (!w) p.push(`weight "${name}" ${shapeText(v.shape)} is missing from the bundle`);
    else if (shapeText(w.shape) !== shapeText(v.shape)) {
      const torch = w.layout === 'torch' ? ` (PyTorch layout [out, in]: ${shapeText([...w.shape].reverse())})` : '';
      p.push(`weight "${name}" is ${shapeText(w.shape)} in the bundle${torch}, this run needs ${shapeText(v.shape)}`);
    } else if (w.data.length !== v.size) p.push(`weight "${name}" holds ${w.data.length} values, expected ${v.size}`);
  }
  for (const name of Object.keys(bundle.weights)) {
    if (!(name in vars)) p.push(`the bundle has weight "${name}", which this run (${trainer.config.model.backbone} + ${trainer.config.align.method}) does not have`);
  }
  if (p.length > 0) throw new Error(list("The bundle's weights do not fit this run", p));

  for (const [name, v] of Object.entries(vars)) {
    const w = bundle.weights[name]!;
    // A copy: the cpu backend would otherwise keep the bundle's array as the variable's storage.
    const t = tf.tensor(w.data.slice(), v.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
}
