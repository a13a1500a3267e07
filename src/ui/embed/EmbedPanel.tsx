/**
 * The Embed step: LLM-side vectors for every user and item, computed in the tab from profile
 * text (hub model or a local model folder), taken from the IndexedDB cache, or uploaded.
 *
 * All dataset text (titles may be hostile HTML) is rendered as React text, never as markup.
 */
import { Fragment, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { Dataset } from '../../core/data/types';
import {
  DEFAULT_PROFILE_CONFIG,
  ITEM_FIELDS,
  USER_FIELDS,
  buildItemProfiles,
  buildUserProfiles,
  previewProfiles,
  validateTemplate,
  type ProfileConfig,
  type UserItemOrder,
} from '../../core/embed/profiles';
import {
  DEFAULT_MODEL_ID,
  EMBED_DTYPES,
  MODEL_PRESETS,
  localModelDtypes,
  normalizeLocalFiles,
  checkLocalModel,
  presetFor,
  type EmbedDtype,
  type ModelSource,
  type Pooling,
} from '../../core/embed/embedder';
import { datasetFingerprint, embedCacheKey, filesFingerprint } from '../../core/embed/fingerprint';
import { alignToDataset, checkPairDims } from '../../core/embed/upload';
import { UploadClient } from '../../workers/uploadClient';
import { EmbedCancelledError, EmbedClient, type EmbedDeviceChoice } from '../../workers/embedClient';
import { cacheClear, cacheGet, cachePut, cacheSize, modelFilesCacheClear, modelFilesCacheSize } from '../../workers/embedCache';

export interface EmbeddingsOutput {
  users: Float32Array;
  items: Float32Array;
  dim: number;
  source: string;
}

export interface EmbedPanelProps {
  dataset: Dataset | null;
  onEmbeddings(e: EmbeddingsOutput): void;
}

type ModelChoice = { kind: 'preset'; id: string } | { kind: 'custom' } | { kind: 'local' };

interface LocalFolder {
  name: string;
  files: Map<string, Uint8Array>;
  key: string;
  dtypes: EmbedDtype[];
}

interface Progress {
  done: number;
  total: number;
  itemsPerSec: number;
  etaSec: number;
}

interface Upload {
  name: string;
  data: Float32Array;
  dim: number;
}

/** The checked upload of each side (null: none yet). */
type Uploads = { users: Upload | null; items: Upload | null };
const NO_UPLOADS: Uploads = { users: null, items: null };

/** The two upload inputs, in page order. */
const UPLOAD_SIDES = [
  { side: 'users', label: 'Users' },
  { side: 'items', label: 'Items' },
] as const;

/** Only these files of a chosen folder are read: a model folder may also hold GB-sized PyTorch weights. */
const WANTED = /(^|\/)([^/]+\.json|[^/]*\.onnx(_data(_\d+)?)?)$/;

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function fmtEta(sec: number): string {
  if (!Number.isFinite(sec)) return '…';
  if (sec < 60) return `${Math.ceil(sec)} s`;
  return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s`;
}

const ORDER_LABELS: Record<UserItemOrder, string> = {
  auto: 'auto (recent → rated → latest rows)',
  recent: 'most recent (timestamps)',
  rating: 'highest rated (ratings)',
  row: 'latest training rows',
};

let sharedClient: EmbedClient | null = null;
function client(): EmbedClient {
  sharedClient ??= new EmbedClient();
  return sharedClient;
}

let sharedUploads: UploadClient | null = null;
function uploadClient(): UploadClient {
  sharedUploads ??= new UploadClient();
  return sharedUploads;
}

export function EmbedPanel(props: EmbedPanelProps): JSX.Element {
  const { dataset, onEmbeddings } = props;
  const [mode, setMode] = useState<'compute' | 'upload'>('compute');
  const [choice, setChoice] = useState<ModelChoice>({ kind: 'preset', id: DEFAULT_MODEL_ID });
  const [customId, setCustomId] = useState('');
  const [local, setLocal] = useState<LocalFolder | null>(null);
  const [readingFolder, setReadingFolder] = useState(false);
  const [cfg, setCfg] = useState<ProfileConfig>(DEFAULT_PROFILE_CONFIG);
  const [dtype, setDtype] = useState<EmbedDtype>('q8');
  const [pooling, setPooling] = useState<Pooling>(presetFor(DEFAULT_MODEL_ID)?.pooling ?? 'mean');
  const [batchSize, setBatchSize] = useState(32);
  const [device, setDevice] = useState<EmbedDeviceChoice>('auto');
  const [running, setRunning] = useState(false);
  const [status, setStatus] = useState<string>('');
  const [loadFraction, setLoadFraction] = useState<number | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [cacheInfo, setCacheInfo] = useState<{ entries: number; bytes: number } | null>(null);
  const [modelCacheInfo, setModelCacheInfo] = useState<{ entries: number; bytes: number } | null>(null);
  const [uploads, setUploadsState] = useState<Uploads>(NO_UPLOADS);
  /** Files being parsed (in the upload worker), by kind. */
  const [reading, setReading] = useState<{ users?: string; items?: string }>({});
  // Latest uploads and dataset for handlers that finish after other renders (parsing is async).
  const uploadsRef = useRef<Uploads>(NO_UPLOADS);
  const setUploads = (u: Uploads) => {
    uploadsRef.current = u;
    setUploadsState(u);
  };
  const datasetRef = useRef(dataset);
  datasetRef.current = dataset;
  const cancelRef = useRef<(() => void) | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  // React's typings do not know webkitdirectory; set it on the element directly.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
    folderInput.current?.setAttribute('directory', '');
  }, [choice.kind]);

  const refreshCache = async () => {
    try {
      setCacheInfo(await cacheSize());
    } catch {
      setCacheInfo(null);
    }
    try {
      setModelCacheInfo(await modelFilesCacheSize());
    } catch {
      setModelCacheInfo(null);
    }
  };
  useEffect(() => {
    void refreshCache();
  }, []);

  // A new dataset invalidates uploads checked against the old one.
  useEffect(() => {
    setUploads(NO_UPLOADS);
    setResult(null);
    setError(null);
  }, [dataset]);

  const preview = useMemo(() => (dataset ? previewProfiles(dataset, cfg, 3) : null), [dataset, cfg]);
  const itemTplError = validateTemplate(cfg.itemTemplate, ITEM_FIELDS);
  const userTplError = validateTemplate(cfg.userTemplate, USER_FIELDS);

  const modelLabel = choice.kind === 'preset' ? choice.id : choice.kind === 'custom' ? customId.trim() : local ? `local:${local.name}` : '';
  const dtypeChoices: readonly EmbedDtype[] = choice.kind === 'local' && local ? local.dtypes : EMBED_DTYPES;

  const pickPreset = (id: string) => {
    if (id === '__custom') setChoice({ kind: 'custom' });
    else if (id === '__local') setChoice({ kind: 'local' });
    else {
      setChoice({ kind: 'preset', id });
      setPooling(presetFor(id)?.pooling ?? 'mean');
    }
  };

  const onFolder = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setError(null);
    setReadingFolder(true);
    try {
      const raw = new Map<string, Uint8Array>();
      let name = 'model';
      for (const f of Array.from(list)) {
        const path = f.webkitRelativePath || f.name;
        if (!WANTED.test(path)) continue;
        raw.set(path, new Uint8Array(await f.arrayBuffer()));
        const top = path.split('/')[0];
        if (top && path.includes('/')) name = top;
      }
      const files = normalizeLocalFiles(raw);
      const dtypes = localModelDtypes(files);
      if (!dtypes.length) throw new Error(`folder "${name}": no onnx/model*.onnx file found`);
      const problem = checkLocalModel(files, dtypes[0]!);
      if (problem) throw new Error(`folder "${name}": ${problem}`);
      setLocal({ name, files, key: `local:${name}:${filesFingerprint(files)}`, dtypes });
      setDtype(dtypes.includes('q8') ? 'q8' : dtypes[0]!);
    } catch (e) {
      setLocal(null);
      setError((e as Error).message);
    } finally {
      setReadingFolder(false);
    }
  };

  const compute = async () => {
    if (!dataset) return;
    const fingerprint = datasetFingerprint(dataset);
    setError(null);
    setResult(null);
    let source: ModelSource;
    let modelKey: string;
    if (choice.kind === 'local') {
      if (!local) return setError('choose a model folder first');
      if (!local.dtypes.includes(dtype)) return setError(`the folder has no ${dtype} weights (it has ${local.dtypes.join(', ')})`);
      source = { kind: 'local', name: local.name, files: local.files };
      modelKey = local.key;
    } else {
      const id = choice.kind === 'preset' ? choice.id : customId.trim();
      if (!id) return setError('enter a model id, e.g. Xenova/all-MiniLM-L6-v2');
      source = { kind: 'hub', id };
      modelKey = id;
    }
    const tplErr = itemTplError ?? userTplError;
    if (tplErr) return setError(tplErr);
    const key = embedCacheKey({
      model: modelKey,
      dtype,
      pooling,
      itemTemplate: cfg.itemTemplate,
      userTemplate: cfg.userTemplate,
      userMaxItems: cfg.userMaxItems,
      userOrder: cfg.userOrder,
      maxDescriptionChars: cfg.maxDescriptionChars,
      userMaxCategories: cfg.userMaxCategories,
      datasetFingerprint: fingerprint,
    });
    const label = `${modelLabel} (${dtype})`;
    try {
      const hit = await cacheGet(key).catch(() => null);
      if (hit && hit.items.length === dataset.numItems * hit.dim && hit.users.length === dataset.numUsers * hit.dim) {
        setResult(`Loaded from cache: ${dataset.numItems} items + ${dataset.numUsers} users × ${hit.dim} (${hit.source})`);
        onEmbeddings({ users: hit.users, items: hit.items, dim: hit.dim, source: `cache: ${hit.source}` });
        return;
      }
      let items: string[];
      let users: string[];
      try {
        items = buildItemProfiles(dataset, cfg);
        users = buildUserProfiles(dataset, cfg);
      } catch (e) {
        return setError((e as Error).message);
      }
      setRunning(true);
      setProgress({ done: 0, total: items.length + users.length, itemsPerSec: 0, etaSec: NaN });
      setStatus('starting the embedding worker');
      setLoadFraction(null);
      const job = client().compute(
        { source, modelKey, device, dtype, batchSize, pooling, items, users },
        {
          onProgress: (p) => {
            setProgress(p);
            setStatus('embedding');
            setLoadFraction(null);
          },
          onStatus: (m, f) => {
            setStatus(m);
            setLoadFraction(f);
          },
        },
      );
      cancelRef.current = job.cancel;
      const r = await job.promise;
      const src = `${label}, ${r.device}`;
      const cached = await cachePut({ key, users: r.users, items: r.items, dim: r.dim, source: src, created: Date.now() });
      setResult(
        `Computed ${dataset.numItems} items + ${dataset.numUsers} users × ${r.dim} in ${r.seconds.toFixed(1)} s on ${r.device}` +
          (cached ? '' : ' (not cached: the browser refused to store them)'),
      );
      onEmbeddings({ users: r.users, items: r.items, dim: r.dim, source: src });
    } catch (e) {
      setError(e instanceof EmbedCancelledError ? 'Cancelled.' : (e as Error).message);
    } finally {
      cancelRef.current = null;
      setRunning(false);
      setStatus('');
      void refreshCache();
    }
  };

  const onUpload = async (kind: 'users' | 'items', f: File | undefined) => {
    if (!f || !dataset) return;
    setError(null);
    setResult(null);
    setReading((r) => ({ ...r, [kind]: f.name }));
    try {
      // Parsed in a worker (a large CSV would freeze the tab), matched to the dataset's ids here.
      const m = await uploadClient().parse(f.name, f);
      // A dataset loaded meanwhile has already dropped the uploads; this file belongs to the old one.
      if (datasetRef.current !== dataset) return;
      // A file that fails its own checks changes nothing: the previous upload of this kind stays.
      const up = { name: f.name, data: alignToDataset(f.name, m, dataset, kind), dim: m.cols };
      setUploads({ ...uploadsRef.current, [kind]: up });
      const { users, items } = uploadsRef.current;
      if (users && items) {
        // A good file of another size is kept (its partner may follow), but the pair is not used.
        checkPairDims(users.name, users.dim, items.name, items.dim);
        setResult(`Uploaded ${dataset.numItems} items + ${dataset.numUsers} users × ${items.dim}`);
        onEmbeddings({ users: users.data, items: items.data, dim: items.dim, source: `upload: ${users.name} + ${items.name}` });
      }
    } catch (e) {
      if (datasetRef.current === dataset) setError((e as Error).message);
    } finally {
      setReading((r) => ({ ...r, [kind]: r[kind] === f.name ? undefined : r[kind] }));
    }
  };

  const pct = progress && progress.total > 0 ? (100 * progress.done) / progress.total : 0;
  const selectValue = choice.kind === 'preset' ? choice.id : choice.kind === 'custom' ? '__custom' : '__local';

  return (
    <section className="embed-panel" aria-label="Text embeddings">
      <h2>LLM embeddings</h2>
      {!dataset && <p>Load a dataset first.</p>}

      <div role="tablist" className="embed-mode">
        <button type="button" role="tab" aria-selected={mode === 'compute'} onClick={() => setMode('compute')}>
          Compute in the browser
        </button>
        <button type="button" role="tab" aria-selected={mode === 'upload'} onClick={() => setMode('upload')} data-testid="embed-mode-upload">
          Upload vectors
        </button>
      </div>

      {mode === 'compute' && (
        <div className="embed-compute">
          <fieldset>
            <legend>Model</legend>
            <label>
              Model{' '}
              <select value={selectValue} onChange={(e) => pickPreset(e.target.value)} disabled={running}>
                {MODEL_PRESETS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
                <option value="__custom">Other Hugging Face id…</option>
                <option value="__local">Local model folder…</option>
              </select>
            </label>
            {choice.kind === 'preset' && (
              <p className="hint">
                {presetFor(choice.id)?.note} Download: {presetFor(choice.id)?.size}.
              </p>
            )}
            {choice.kind === 'custom' && (
              <label>
                Hub id{' '}
                <input
                  type="text"
                  value={customId}
                  placeholder="Xenova/all-MiniLM-L6-v2"
                  onChange={(e) => setCustomId(e.target.value)}
                  disabled={running}
                  spellCheck={false}
                />
              </label>
            )}
            {choice.kind === 'local' && (
              <div>
                <label>
                  Folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx){' '}
                  <input
                    ref={folderInput}
                    type="file"
                    multiple
                    onChange={(e) => void onFolder(e.target.files)}
                    disabled={running || readingFolder}
                    data-testid="local-model-folder"
                  />
                </label>
                {readingFolder && <p>Reading folder…</p>}
                {local && (
                  <p className="hint">
                    {local.name}: {local.files.size} files, {fmtBytes([...local.files.values()].reduce((s, b) => s + b.byteLength, 0))}, dtypes{' '}
                    {local.dtypes.join(', ')}. Loaded from memory; nothing is downloaded.
                  </p>
                )}
              </div>
            )}
            <label>
              dtype{' '}
              <select value={dtype} onChange={(e) => setDtype(e.target.value as EmbedDtype)} disabled={running}>
                {dtypeChoices.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </label>{' '}
            <label>
              Pooling{' '}
              <select value={pooling} onChange={(e) => setPooling(e.target.value as Pooling)} disabled={running}>
                <option value="mean">mean</option>
                <option value="cls">cls</option>
                <option value="last_token">last token</option>
              </select>
            </label>{' '}
            <label>
              Device{' '}
              <select value={device} onChange={(e) => setDevice(e.target.value as EmbedDeviceChoice)} disabled={running}>
                <option value="auto">auto (WebGPU, else wasm)</option>
                <option value="webgpu">WebGPU</option>
                <option value="wasm">wasm</option>
              </select>
            </label>{' '}
            <label>
              Batch size{' '}
              <input
                type="number"
                min={1}
                max={512}
                value={batchSize}
                onChange={(e) => setBatchSize(Math.max(1, Math.min(512, Math.floor(Number(e.target.value)) || 1)))}
                disabled={running}
                style={{ width: '5em' }}
              />
            </label>
          </fieldset>

          <fieldset>
            <legend>Profiles</legend>
            <TemplateInput
              label="Item template"
              value={cfg.itemTemplate}
              onChange={itemTemplate => setCfg({ ...cfg, itemTemplate })}
              disabled={running}
              invalid={itemTplError !== null}
              hint={`Fields: ${ITEM_FIELDS.map((f) => `{${f}}`).join(' ')}. Text in [brackets] is dropped when its fields are empty.`}
            />
            <TemplateInput
              label="User template"
              value={cfg.userTemplate}
              onChange={userTemplate => setCfg({ ...cfg, userTemplate })}
              disabled={running}
              invalid={userTplError !== null}
              hint={`Fields: ${USER_FIELDS.map((f) => `{${f}}`).join(' ')}. Built from training interactions only.`}
            />
            <label>
              Items per user{' '}
              <input
                type="number"
                min={1}
                max={200}
                value={cfg.userMaxItems}
                onChange={(e) => setCfg({ ...cfg, userMaxItems: Math.max(1, Math.min(200, Math.floor(Number(e.target.value)) || 1)) })}
                disabled={running}
                style={{ width: '5em' }}
              />
            </label>{' '}
            <label>
              Which items{' '}
              <select value={cfg.userOrder} onChange={(e) => setCfg({ ...cfg, userOrder: e.target.value as UserItemOrder })} disabled={running}>
                {(Object.keys(ORDER_LABELS) as UserItemOrder[]).map((o) => (
                  <option key={o} value={o}>
                    {ORDER_LABELS[o]}
                  </option>
                ))}
              </select>
            </label>
            {preview && (
              <div className="embed-preview" aria-label="Profile preview">
                {preview.error ? (
                  <p className="warn">{preview.error}</p>
                ) : (
                  <>
                    <h4>Items</h4>
                    <ul>
                      {preview.items.map((p) => (
                        <li key={`i${p.index}`}>
                          <code>#{p.index}</code> {p.text}
                        </li>
                      ))}
                    </ul>
                    <h4>Users</h4>
                    <ul>
                      {preview.users.map((p) => (
                        <li key={`u${p.index}`}>
                          <code>#{p.index}</code> {p.text}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
            )}
          </fieldset>

          <div className="embed-actions">
            <button type="button" onClick={() => void compute()} disabled={!dataset || running || (choice.kind === 'local' && !local)}>
              Compute
            </button>{' '}
            <button type="button" onClick={() => cancelRef.current?.()} disabled={!running}>
              Cancel
            </button>
          </div>
          {running && (
            <div className="embed-progress">
              <progress
                max={loadFraction !== null ? 1 : (progress?.total ?? 1)}
                value={loadFraction !== null ? loadFraction : (progress?.done ?? 0)}
                aria-label="Embedding progress"
              />
              <span>
                {' '}
                {status}
                {progress && progress.done > 0 &&
                  ` — ${progress.done}/${progress.total} (${pct.toFixed(0)}%), ${progress.itemsPerSec.toFixed(1)} texts/s, ETA ${fmtEta(progress.etaSec)}`}
              </span>
            </div>
          )}
        </div>
      )}

      {mode === 'upload' && (
        <div className="embed-upload">
          <p className="hint">
            One row per user/item: .npy (float32/float64, 2-D), CSV/TSV (optional id column; numeric ids need a header) or JSON (array of
            vectors, or {'{'}id: vector{'}'}). Row order is the dataset's index order unless ids are given.
          </p>
          {UPLOAD_SIDES.map(({ side, label }, k) => {
            const upload = uploads[side];
            return (
              <Fragment key={side}>
                {k > 0 && <br />}
                <label>
                  {label}{' '}
                  <input
                    type="file"
                    accept=".npy,.csv,.tsv,.json,.txt"
                    data-testid={`embed-upload-${side}`}
                    onChange={(e) => {
                      const f = e.currentTarget.files?.[0];
                      e.currentTarget.value = '';
                      void onUpload(side, f);
                    }}
                    disabled={!dataset}
                  />
                </label>
                {reading[side] && <span className="muted"> reading {reading[side]}…</span>}
                {upload && (
                  <span className="ok" data-testid={`embed-upload-${side}-ok`}>
                    {' '}
                    {upload.name}: {side === 'users' ? dataset?.numUsers : dataset?.numItems} × {upload.dim}
                  </span>
                )}
              </Fragment>
            );
          })}
        </div>
      )}

      {error && (
        <p role="alert" className="error" data-testid="embed-error">
          {error}
        </p>
      )}
      {result && (
        <p role="status" className="ok" data-testid="embed-result">
          {result}
        </p>
      )}

      <div className="embed-cache">
        <span>
          Embedding cache: {cacheInfo ? `${cacheInfo.entries} entries, ${fmtBytes(cacheInfo.bytes)}` : 'unavailable'}
        </span>{' '}
        <button
          type="button"
          disabled={running || !cacheInfo || cacheInfo.entries === 0}
          onClick={() => void cacheClear().then(refreshCache, (e: Error) => setError(e.message))}
        >
          Clear
        </button>
        {modelCacheInfo && (
          <>
            {' · '}
            <span>
              Model download cache: {modelCacheInfo.entries} files, {fmtBytes(modelCacheInfo.bytes)}
            </span>{' '}
            <button
              type="button"
              disabled={running || modelCacheInfo.entries === 0}
              onClick={() => void modelFilesCacheClear().then(refreshCache, (e: Error) => setError(e.message))}
            >
              Clear
            </button>
          </>
        )}
      </div>
    </section>
  );
}

/** A profile template: a text input and the fields it may use. */
function TemplateInput(props: { label: string; value: string; onChange(v: string): void; disabled: boolean; invalid: boolean; hint: string }) {
  return (
    <>
      <label>
        {props.label}{' '}
        <input
          type="text"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          disabled={props.disabled}
          spellCheck={false}
          aria-invalid={props.invalid}
          style={{ width: '100%' }}
        />
      </label>
      <p className="hint">{props.hint}</p>
    </>
  );
}
