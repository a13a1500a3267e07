/**
 * One object describes a run: the UI edits it, the CLI builds it from flags,
 * exports store it. Defaults are RLMRec's (see shared design doc, section 7).
 */

import type { BackboneName } from './models/backbones';
import type { AlignmentConfig, AlignName } from './align/index';
import type { PreprocessConfig } from './data/preprocess';

export type BackendName = 'webgpu' | 'wasm' | 'cpu' | 'webgl';
export type BackendChoice = 'auto' | BackendName;
export type LayerCombine = 'sum' | 'mean';

export interface DemoDataRef {
  kind: 'demo';
  users: number;
  items: number;
  interactions: number;
  /** Seed of the generator (separate from the training seed). */
  seed: number;
}

/** Anything that is not the generated demo: named by where it came from. */
export interface FileDataRef {
  kind: 'file';
  name: string;
  /** Every preprocessing choice, so the dataset is rebuilt identically from the same files. */
  preprocess?: PreprocessConfig;
}

export type DataRef = DemoDataRef | FileDataRef;

export interface RunConfig {
  data: DataRef;
  /** Training seed: init, sampling, dropout. */
  seed: number;
  backend: BackendChoice;
  model: {
    backbone: BackboneName;
    embeddingSize: number;
    layers: number;
    /** 'sum' of layer outputs as RLMRec's code does; 'mean' as the LightGCN paper. */
    combine: LayerCombine;
    /** Edge keep probability of the dropout applied to the adjacency in training (1 = none). */
    keepRate: number;
    /** SGL / SimGCL contrastive loss: weight, temperature, SimGCL noise radius. */
    ssl: { weight: number; temperature: number; eps: number };
  };
  /** LLM-CF alignment; every option of every method lives in `options` (defaults in src/core/align). */
  align: { method: AlignName; options: AlignmentConfig };
  /**
   * Where the LLM-side vectors come from when an alignment needs them: 'tfidf' is
   * the built-in model-free text embedder (computed from item text in the worker);
   * 'provided' means computed in the Embed step or uploaded.
   */
  llm: { source: 'tfidf' | 'provided'; dim: number };
  train: {
    lr: number;
    batchSize: number;
    /** Weight of the squared L2 norm of all parameters (RLMRec's reg_params). */
    regWeight: number;
    epochs: number;
    /** Validate every N epochs. */
    evalEvery: number;
    /** Stop after this many validations without a Recall@20 gain. */
    patience: number;
    /** Users per evaluation batch: bounds evaluation memory at evalBatch x items scores. */
    evalBatch: number;
  };
}

export const DEMO_DEFAULT: DemoDataRef = { kind: 'demo', users: 1500, items: 1000, interactions: 50_000, seed: 7 };

export function defaultConfig(): RunConfig {
  return {
    data: { ...DEMO_DEFAULT },
    seed: 2024,
    backend: 'auto',
    model: { backbone: 'lightgcn', embeddingSize: 32, layers: 3, combine: 'sum', keepRate: 0.8, ssl: { weight: 0, temperature: 0.2, eps: 0 } },
    align: { method: 'none', options: {} },
    llm: { source: 'tfidf', dim: 64 },
    train: { lr: 1e-3, batchSize: 4096, regWeight: 1e-6, epochs: 60, evalEvery: 3, patience: 5, evalBatch: 1024 },
  };
}

/** Numeric hyper-parameters: name, where it lives, and its valid range. Drives the form, CLI flags and validation. */
export interface NumericParam {
  key: string;
  label: string;
  get(c: RunConfig): number;
  set(c: RunConfig, v: number): void;
  min: number;
  max: number;
  integer: boolean;
  /** Above this the value is allowed but unusual: the page warns (the run's NaN guard stops a divergence). */
  warnAbove?: number;
}

export const NUMERIC_PARAMS: NumericParam[] = [
  { key: 'dim', label: 'Embedding size', get: c => c.model.embeddingSize, set: (c, v) => { c.model.embeddingSize = v; }, min: 1, max: 1024, integer: true },
  { key: 'layers', label: 'GCN layers', get: c => c.model.layers, set: (c, v) => { c.model.layers = v; }, min: 0, max: 8, integer: true },
  { key: 'keep-rate', label: 'Edge keep rate', get: c => c.model.keepRate, set: (c, v) => { c.model.keepRate = v; }, min: 0.05, max: 1, integer: false },
  { key: 'lr', label: 'Learning rate', get: c => c.train.lr, set: (c, v) => { c.train.lr = v; }, min: 1e-6, max: Infinity, integer: false, warnAbove: 1 },
  { key: 'batch', label: 'Batch size', get: c => c.train.batchSize, set: (c, v) => { c.train.batchSize = v; }, min: 1, max: 1 << 20, integer: true },
  { key: 'reg', label: 'Reg weight', get: c => c.train.regWeight, set: (c, v) => { c.train.regWeight = v; }, min: 0, max: 10, integer: false },
  { key: 'epochs', label: 'Epochs', get: c => c.train.epochs, set: (c, v) => { c.train.epochs = v; }, min: 1, max: 100_000, integer: true },
  { key: 'eval-every', label: 'Eval every (epochs)', get: c => c.train.evalEvery, set: (c, v) => { c.train.evalEvery = v; }, min: 1, max: 10_000, integer: true },
  { key: 'patience', label: 'Patience (evals)', get: c => c.train.patience, set: (c, v) => { c.train.patience = v; }, min: 1, max: 10_000, integer: true },
  { key: 'eval-batch', label: 'Eval user batch', get: c => c.train.evalBatch, set: (c, v) => { c.train.evalBatch = v; }, min: 1, max: 1 << 20, integer: true },
  { key: 'ssl-weight', label: 'SSL weight (SGL/SimGCL)', get: c => c.model.ssl.weight, set: (c, v) => { c.model.ssl.weight = v; }, min: 0, max: 100, integer: false },
  { key: 'ssl-temp', label: 'SSL temperature', get: c => c.model.ssl.temperature, set: (c, v) => { c.model.ssl.temperature = v; }, min: 1e-3, max: 100, integer: false },
  { key: 'ssl-eps', label: 'SimGCL noise eps', get: c => c.model.ssl.eps, set: (c, v) => { c.model.ssl.eps = v; }, min: 0, max: 10, integer: false },
  { key: 'seed', label: 'Seed', get: c => c.seed, set: (c, v) => { c.seed = v; }, min: 0, max: 2 ** 31 - 1, integer: true },
];

/** Returns a list of human-readable problems; empty when the config is valid. */
export function validateConfig(c: RunConfig): string[] {
  const errors: string[] = [];
  for (const p of NUMERIC_PARAMS) {
    const v = p.get(c);
    if (typeof v !== 'number' || !Number.isFinite(v)) errors.push(`${p.label} must be a number`);
    else if (v < p.min || v > p.max) errors.push(p.max === Infinity ? `${p.label} must be at least ${p.min} (got ${v})` : `${p.label} must be between ${p.min} and ${p.max} (got ${v})`);
    else if (p.integer && !Number.isInteger(v)) errors.push(`${p.label} must be a whole number (got ${v})`);
  }
  if (c.model.combine !== 'sum' && c.model.combine !== 'mean') errors.push(`Layer combination must be "sum" or "mean"`);
  if (!['mf', 'lightgcn', 'gccf', 'sgl', 'simgcl'].includes(c.model.backbone)) errors.push(`Unknown backbone "${c.model.backbone}"`);
  if (!['none', 'rlmrec-con', 'rlmrec-gen', 'darec'].includes(c.align.method)) errors.push(`Unknown alignment "${c.align.method}"`);
  if (!['auto', 'webgpu', 'wasm', 'cpu', 'webgl'].includes(c.backend)) errors.push(`Unknown backend "${c.backend}"`);
  if (c.data.kind === 'demo') {
    const d = c.data;
    if (!(d.users >= 2 && d.items >= 2 && d.interactions >= 10)) errors.push('Demo size must be at least 2 users, 2 items, 10 interactions');
    if (d.interactions > d.users * d.items * 0.5) errors.push('Demo interactions must be at most half of users x items');
  }
  return errors;
}

/** Allowed but unusual settings, worth a visible note. */
export function configWarnings(c: RunConfig): string[] {
  return NUMERIC_PARAMS.filter(p => p.warnAbove !== undefined && p.get(c) > p.warnAbove)
    .map(p => `${p.label} ${p.get(c)} is above ${p.warnAbove}: training will probably diverge (it stops at the first NaN or infinite loss).`);
}

/**
 * Switches the backbone and loads RLMRec's per-backbone defaults (layers, reg,
 * edge keep rate, SSL settings), as picking a model in RLMRec loads its yml.
 */
export function withBackbone(c: RunConfig, name: BackboneName, presets: Record<BackboneName, { layers: number; regWeight: number; keepRate: number; ssl: RunConfig['model']['ssl'] }>): RunConfig {
  const p = presets[name];
  const out = cloneConfig(c);
  out.model.backbone = name;
  out.model.layers = p.layers;
  out.model.keepRate = p.keepRate;
  out.model.ssl = { ...p.ssl };
  out.train.regWeight = p.regWeight;
  return out;
}

export function cloneConfig(c: RunConfig): RunConfig {
  return structuredClone(c);
}
