import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_VERSION,
  BundleError,
  buildBundle,
  bundleDatasetInfo,
  checkBundleAgainstDataset,
  crc32,
  idMapToTsv,
  parseIdMapTsv,
  readBundle,
  weightLayoutFor,
  type BundleContents,
  type BundleManifest,
} from '../../src/core/io/bundle';
import { readNpy, writeNpy } from '../../src/core/io/npy';
import { readSafetensors, writeSafetensors } from '../../src/core/io/safetensors';
import { makeContents, makeDataset } from './fixtures';

const CREATED = '2025-01-02T03:04:05.000Z';

function fresh(opts: { ids?: boolean } = {}): { ds: ReturnType<typeof makeDataset>; c: BundleContents; zip: Uint8Array } {
  const ds = makeDataset({ ids: opts.ids ?? true, text: true });
  const c = makeContents(ds);
  return { ds, c, zip: buildBundle(c, { created: CREATED }) };
}

/** Unzip, change files, fix the manifest (sizes / CRCs) unless told not to, zip again. */
function rezip(zip: Uint8Array, mutate: (files: Record<string, Uint8Array>) => void, fixManifest = true): Uint8Array {
  const files = unzipSync(zip);
  mutate(files);
  if (fixManifest && files['manifest.json']) {
    const m = JSON.parse(strFromU8(files['manifest.json'])) as BundleManifest;
    m.files = m.files.map((f) => (files[f.path] ? { path: f.path, bytes: files[f.path]!.length, crc32: crc32(files[f.path]!).toString(16).padStart(8, '0') } : f));
    files['manifest.json'] = strToU8(JSON.stringify(m));
  }
  return zipSync(files as Zippable);
}

function errorOf(f: () => unknown): BundleError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
}

describe('bundle round trip', () => {
  it('build -> read gives identical weights, embeddings, config, id maps, history, metrics', () => {
    const ds = makeDataset({ ids: true, text: true });
    ds.userIds![3] = 'tab\there, new\nline, back\\slash, ünï';
    const c = makeContents(ds);
    const r = readBundle(buildBundle(c, { created: CREATED }));
    expect(r.config).toEqual(c.config);
    expect(r.idMaps).toEqual(c.idMaps);
    expect(r.idMaps.users[3]).toBe('tab\there, new\nline, back\\slash, ünï');
    expect(r.history).toEqual(c.history);
    expect(r.metrics).toEqual(c.metrics);
    expect(r.dataset).toEqual(c.dataset);
    expect(r.created).toBe(CREATED);
    expect(Object.keys(r.weights).sort()).toEqual(Object.keys(c.weights).sort());
    for (const [name, w] of Object.entries(c.weights)) {
      expect(r.weights[name]!.shape, name).toEqual(w.shape);
      expect(r.weights[name]!.data, name).toEqual(w.data);
      expect(r.weights[name]!.layout, name).toBe(w.layout);
    }
    expect(Object.keys(r.embeddings).sort()).toEqual(Object.keys(c.embeddings).sort());
    for (const [name, e] of Object.entries(c.embeddings)) expect(r.embeddings[name], name).toEqual(e);
    expect(r.trainInteractions).toEqual(c.trainInteractions);
    expect(checkBundleAgainstDataset(r, ds)).toEqual([]);
  });

  it('writes every documented file, listed in the manifest with size and CRC-32', () => {
    const { c, zip } = fresh();
    const files = unzipSync(zip);
    const m = JSON.parse(strFromU8(files['manifest.json']!)) as BundleManifest;
    expect(m).toMatchObject({ format: 'darec-playground-bundle', version: BUNDLE_VERSION, created: CREATED });
    const expected = ['README.txt', 'config.json', 'dataset.json', 'history.csv', 'id_map_items.tsv', 'id_map_users.tsv', 'metrics.json', 'train_interactions.safetensors', 'weights.safetensors', ...Object.keys(c.embeddings).map((n) => `embeddings/${n}.npy`)];
    expect(m.files.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(Object.keys(files).sort()).toEqual([...expected, 'manifest.json'].sort());
    expect(Object.keys(files)[0]).toBe('manifest.json');
    for (const f of m.files) {
      expect(files[f.path]!.length).toBe(f.bytes);
      expect(crc32(files[f.path]!).toString(16).padStart(8, '0')).toBe(f.crc32);
    }
    expect(strFromU8(files['id_map_items.tsv']!).split('\n').slice(0, 3)).toEqual(['index\tid', '0\tB000X', '1\tB001X']);
    expect(strFromU8(files['history.csv']!).split('\n')[0]).toBe('epoch,loss.bpr,loss.reg,loss.orth,val.recall@20,val.ndcg@20');
    expect(JSON.parse(strFromU8(files['config.json']!))).toEqual(c.config);
  });

  it('stores Linear weights transposed to PyTorch [out, in], other tensors as they are', () => {
    const { c, zip } = fresh();
    const st = readSafetensors(unzipSync(zip)['weights.safetensors']!);
    const app = c.weights['sharedLLM.0.weight']!; // [in 12, out 10]
    const [inDim, outDim] = app.shape as [number, number];
    const file = st.tensors['sharedLLM.0.weight']!;
    expect(file.shape).toEqual([outDim, inDim]);
    for (const [i, o] of [[0, 0], [3, 7], [inDim - 1, outDim - 1]] as const) expect(file.data[o * inDim + i]).toBe(app.data[i * outDim + o]);
    expect(st.tensors.user_embeds!.shape).toEqual(c.weights.user_embeds!.shape);
    expect(st.tensors['sharedLLM.0.bias']!.shape).toEqual([outDim]);
    expect(JSON.parse(st.metadata.transposed!)).toContain('sharedLLM.0.weight');
    expect(st.metadata.format).toBe('pt');
  });

  it('is byte-identical for the same contents and creation time', () => {
    const { c, zip } = fresh();
    expect(buildBundle(c, { created: CREATED })).toEqual(zip);
  });

  it('README describes every file, the tensor names and a PyTorch scoring snippet', () => {
    const { c, zip } = fresh();
    const text = strFromU8(unzipSync(zip)['README.txt']!);
    for (const f of ['manifest.json', 'config.json', 'weights.safetensors', 'metrics.json', 'history.csv', 'id_map_users.tsv', 'dataset.json', 'train_interactions.safetensors', 'README.txt']) expect(text).toContain(f);
    for (const n of Object.keys(c.embeddings)) expect(text).toContain(`${n}.npy`);
    for (const n of Object.keys(c.weights)) expect(text).toContain(n);
    expect(text).toContain('safetensors.torch import load_file');
    expect(text).toContain('scores = user_embeds[u] @ item_embeds.T');
    expect(text).toContain('float("-inf")');
    expect(text).toContain('[out, in]');
    expect(text).toContain('torch.nn.Linear(12, 10)');
  });

  it('without the "transposed" metadata (file re-saved from PyTorch) every rank-2 *.N.weight is a Linear weight', () => {
    const { c, zip } = fresh();
    const again = rezip(zip, (files) => {
      const st = readSafetensors(files['weights.safetensors']!);
      files['weights.safetensors'] = writeSafetensors(Object.fromEntries(Object.entries(st.tensors).map(([k, t]) => [k, { shape: t.shape, data: t.data }])));
    });
    const r = readBundle(again);
    for (const [name, w] of Object.entries(c.weights)) expect(r.weights[name]!.data, name).toEqual(w.data);
    expect(weightLayoutFor('mlp.2.weight', [3, 4])).toBe('torch');
    expect(weightLayoutFor('user_embeds', [3, 4])).toBeUndefined();
    expect(weightLayoutFor('mlp.2.bias', [4])).toBeUndefined();
  });

  it('works without the optional training split (README says how to mask instead)', () => {
    const { c } = fresh();
    delete c.trainInteractions;
    const zip = buildBundle(c, { created: CREATED });
    expect(unzipSync(zip)['train_interactions.safetensors']).toBeUndefined();
    expect(strFromU8(unzipSync(zip)['README.txt']!)).toContain('# scores[train_items_of_u] = float("-inf")');
    expect(readBundle(zip).trainInteractions).toBeUndefined();
  });

  it('checks RLMRec-Gen shapes: mlp CF -> LLM and the mask token', () => {
    const { ds, c } = fresh();
    const d = c.config.model.embeddingSize, llm = 12;
    const weights: BundleContents['weights'] = { user_embeds: c.weights.user_embeds!, item_embeds: c.weights.item_embeds! };
    weights['mlp.0.weight'] = { shape: [d, 10], data: new Float32Array(d * 10), layout: 'torch' };
    weights['mlp.0.bias'] = { shape: [10], data: new Float32Array(10) };
    weights['mlp.2.weight'] = { shape: [10, llm], data: new Float32Array(10 * llm), layout: 'torch' };
    weights['mlp.2.bias'] = { shape: [llm], data: new Float32Array(llm) };
    weights['masker.mask_token'] = { shape: [1, d], data: new Float32Array(d) };
    const gen: BundleContents = { ...c, config: { ...c.config, align: { method: 'rlmrec-gen', options: {} } }, weights, embeddings: { cf_users: c.embeddings.cf_users!, cf_items: c.embeddings.cf_items!, llm_items: c.embeddings.llm_items! } };
    expect(readBundle(buildBundle(gen)).weights['masker.mask_token']!.shape).toEqual([1, d]);
    gen.weights = { ...weights, 'masker.mask_token': { shape: [1, d + 1], data: new Float32Array(d + 1) } };
    expect(errorOf(() => readBundle(buildBundle(gen))).message).toMatch(/"masker\.mask_token" is \[1, 9\], expected \[1, 8\]/);
    gen.weights = { ...weights, 'mlp.2.bias': { shape: [llm + 1], data: new Float32Array(llm + 1) } };
    expect(errorOf(() => readBundle(buildBundle(gen))).message).toMatch(/"mlp\.2\.bias" is \[13\], expected \[12\]/);
    expect(checkBundleAgainstDataset(gen, ds)).toEqual([]);
  });

  it('reads a bundle that was unzipped and re-zipped as a folder', () => {
    const { c, zip } = fresh();
    const files = unzipSync(zip);
    const nested = zipSync(Object.fromEntries(Object.entries(files).map(([p, d]) => [`my-run/${p}`, d])));
    expect(readBundle(nested).config).toEqual(c.config);
  });

  it('id map TSV escapes and rejects duplicates / bad indices', () => {
    const ids = ['a', 'b\tc', 'd\\e', 'f\ng'];
    expect(parseIdMapTsv(idMapToTsv(ids), 'x.tsv')).toEqual(ids);
    expect(() => parseIdMapTsv('index\tid\n0\ta\n1\ta\n', 'x.tsv')).toThrow(/"a" is listed for index 0 and 1/);
    expect(() => parseIdMapTsv('index\tid\n0\ta\n2\tb\n', 'x.tsv')).toThrow(/line 3: expected index 1/);
    expect(() => parseIdMapTsv('id\n', 'x.tsv')).toThrow(/first line must be/);
  });
});

describe('bad bundles are rejected with their message', () => {
  it('not a zip', () => {
    expect(errorOf(() => readBundle(new Uint8Array([1, 2, 3, 4, 5]))).message).toMatch(/not a zip archive/);
    expect(errorOf(() => readBundle(strToU8('{"version": 1}'))).message).toMatch(/looks like a JSON file/);
    expect(errorOf(() => readBundle(new Uint8Array(0))).message).toMatch(/empty/);
  });

  it('truncated zip', () => {
    const { zip } = fresh();
    for (const cut of [0.5, 0.99]) {
      expect(errorOf(() => readBundle(zip.slice(0, Math.floor(zip.length * cut)))).message).toMatch(/truncated/);
    }
  });

  it('corrupt zip data (a flipped byte inside a stored file)', () => {
    const { zip } = fresh();
    const bad = zip.slice();
    const files = unzipSync(zip);
    // Find the stored bytes of weights.safetensors inside the zip and flip one in the tensor data.
    const w = files['weights.safetensors']!;
    const probe = w.subarray(w.length - 64, w.length - 32);
    let at = -1;
    outer: for (let i = 0; i < bad.length - probe.length; i++) {
      for (let j = 0; j < probe.length; j++) if (bad[i + j] !== probe[j]) continue outer;
      at = i;
      break;
    }
    expect(at).toBeGreaterThan(0);
    bad[at + 5]! ^= 0xff;
    const e = errorOf(() => readBundle(bad));
    expect(e.message).toMatch(/weights\.safetensors is corrupt: its CRC-32 is [0-9a-f]{8}, manifest\.json says/);
    expect(e.file).toBe('weights.safetensors');
  });

  it('missing manifest', () => {
    const { zip } = fresh();
    const e = errorOf(() => readBundle(rezip(zip, (f) => delete f['manifest.json'], false)));
    expect(e.message).toMatch(/Not a DaRec Playground bundle: manifest\.json is missing \(the zip holds config\.json, weights\.safetensors, /);
  });

  it('unknown (newer) version', () => {
    const { zip } = fresh();
    const bad = rezip(zip, (f) => {
      const m = JSON.parse(strFromU8(f['manifest.json']!));
      m.version = 2;
      f['manifest.json'] = strToU8(JSON.stringify(m));
    });
    expect(errorOf(() => readBundle(bad)).message).toMatch(/newer version of the app \(bundle version 2; this app reads version 1\)/);
    const other = rezip(zip, (f) => {
      const m = JSON.parse(strFromU8(f['manifest.json']!));
      m.format = 'something-else';
      f['manifest.json'] = strToU8(JSON.stringify(m));
    });
    expect(errorOf(() => readBundle(other)).message).toMatch(/format "something-else"/);
  });

  it('missing file (listed but absent, or a required one not listed)', () => {
    const { zip } = fresh();
    const e = errorOf(() => readBundle(rezip(zip, (f) => delete f['embeddings/cf_users.npy'])));
    expect(e.message).toMatch(/embeddings\/cf_users\.npy is listed in manifest\.json but missing from the zip/);
    const gone = rezip(zip, (f) => {
      delete f['config.json'];
      const m = JSON.parse(strFromU8(f['manifest.json']!)) as BundleManifest;
      m.files = m.files.filter((x) => x.path !== 'config.json');
      f['manifest.json'] = strToU8(JSON.stringify(m));
    }, false);
    expect(errorOf(() => readBundle(gone)).message).toMatch(/incomplete: manifest\.json does not list config\.json/);
  });

  it('wrong shapes: embedding size, user / item counts, MLP sizes', () => {
    const { ds } = fresh();
    const c = makeContents(ds);
    c.config.model.embeddingSize = 16;
    let e = errorOf(() => readBundle(buildBundle(c)));
    expect(e.message).toMatch(/shapes disagree/);
    expect(e.message).toMatch(/"user_embeds" is \[30, 8\], expected \[30, 16\]/);
    expect(e.message).toMatch(/embeddings cf_items\.npy, cf_users\.npy, shared_cf_items\.npy, .* have 8 columns, expected 16/);
    expect(e.message).toMatch(/MLP "sharedCF" input is 8, expected 16/);

    const c2 = makeContents(ds);
    c2.embeddings.cf_items = { rows: 19, cols: 8, data: new Float32Array(19 * 8) };
    c2.weights.item_embeds = { shape: [21, 8], data: new Float32Array(21 * 8) };
    e = errorOf(() => readBundle(buildBundle(c2)));
    expect(e.message).toMatch(/embeddings\/cf_items\.npy has 19 rows, dataset\.json has 20 items/);
    expect(e.message).toMatch(/"item_embeds" is \[21, 8\], expected \[20, 8\]/);

    const c3 = makeContents(ds);
    c3.weights['sharedLLM.0.weight'] = { shape: [7, 10], data: new Float32Array(70), layout: 'torch' };
    e = errorOf(() => readBundle(buildBundle(c3)));
    expect(e.message).toMatch(/LLM embedding size disagrees: .*sharedLLM input 7/);

    const c4 = makeContents(ds);
    c4.config.model.backbone = 'gccf'; // outputs d * (layers + 1)
    e = errorOf(() => readBundle(buildBundle(c4)));
    expect(e.message).toMatch(/cf_users\.npy, .* have 8 columns, expected 32 \(the gccf output size/);

    const c5 = makeContents(ds);
    c5.config.align = { method: 'none', options: {} };
    e = errorOf(() => readBundle(buildBundle(c5)));
    expect(e.message).toMatch(/MLP "sharedCF", which alignment "none" does not use/);
  });

  it('corrupt safetensors and corrupt npy name the file', () => {
    const { zip } = fresh();
    let e = errorOf(() => readBundle(rezip(zip, (f) => { f['weights.safetensors'] = f['weights.safetensors']!.slice(0, 100); })));
    expect(e.message).toMatch(/^weights\.safetensors is corrupt: truncated: the header claims/);
    expect(e.file).toBe('weights.safetensors');
    e = errorOf(() => readBundle(rezip(zip, (f) => { f['embeddings/shared_llm_items.npy'] = f['embeddings/shared_llm_items.npy']!.slice(0, -8); })));
    expect(e.message).toMatch(/^embeddings\/shared_llm_items\.npy is corrupt: the data is truncated/);
    e = errorOf(() => readBundle(rezip(zip, (f) => { f['embeddings/cf_items.npy'] = strToU8('hello'); })));
    expect(e.message).toMatch(/cf_items\.npy is corrupt: not a \.npy file/);
  });

  it('a weight holding NaN or ±Infinity names the tensor, the value and the place', () => {
    const { ds } = fresh();
    const c = makeContents(ds);
    c.weights.user_embeds!.data[9] = -Infinity; // shape [users, 8]
    let e = errorOf(() => readBundle(buildBundle(c)));
    expect(e.message).toBe('weights.safetensors: "user_embeds" holds -Infinity (row 2, column 2); a run that diverged cannot be imported.');
    expect(e.file).toBe('weights.safetensors');
    const c2 = makeContents(ds);
    c2.weights['sharedCF.0.bias']!.data[3] = NaN;
    e = errorOf(() => readBundle(buildBundle(c2)));
    expect(e.message).toBe('weights.safetensors: "sharedCF.0.bias" holds NaN (index 3); a run that diverged cannot be imported.');
  });

  it('bad config.json, dataset.json, history.csv', () => {
    const { zip } = fresh();
    const patchJson = (path: string, f: (x: Record<string, any>) => void) =>
      rezip(zip, (files) => {
        const x = JSON.parse(strFromU8(files[path]!));
        f(x);
        files[path] = strToU8(JSON.stringify(x));
      });
    expect(errorOf(() => readBundle(patchJson('config.json', (x) => { x.model.layers = 99; }))).message).toMatch(/^config\.json: GCN layers must be between 0 and 8 \(got 99\)/);
    expect(errorOf(() => readBundle(patchJson('config.json', (x) => { x.model.embeddingSize = '8'; }))).message).toMatch(/config\.json: model\.embeddingSize must be a number/);
    expect(errorOf(() => readBundle(patchJson('dataset.json', (x) => { delete x.fingerprint; }))).message).toMatch(/dataset\.json: "fingerprint" is missing/);
    expect(errorOf(() => readBundle(rezip(zip, (f) => { f['config.json'] = strToU8('{oops'); }))).message).toMatch(/config\.json is not valid JSON/);
    expect(errorOf(() => readBundle(rezip(zip, (f) => { f['history.csv'] = strToU8('epoch,foo\n1,2\n'); }))).message).toMatch(/history\.csv: column "foo"/);
  });

  it('rejects contents that cannot be written', () => {
    const { c } = fresh();
    expect(() => buildBundle({ ...c, embeddings: { 'a/b': { rows: 1, cols: 1, data: new Float32Array(1) } } })).toThrow(/cannot be a file name/);
    expect(() => buildBundle({ ...c, weights: { ...c.weights, x: { shape: [2, 2], data: new Float32Array(3) } } })).toThrow(/do not fill/);
    expect(() => buildBundle({ ...c, weights: { ...c.weights, x: { shape: [4], data: new Float32Array(4), layout: 'torch' } } })).toThrow(/flagged as a Linear weight/);
  });
});

describe('checkBundleAgainstDataset', () => {
  it('names the counts that differ', () => {
    const { c } = fresh();
    const other = makeDataset({ users: 31, items: 20, ids: true, text: true, name: 'other.csv' });
    const p = checkBundleAgainstDataset(c, other);
    expect(p.join('\n')).toMatch(/users: the bundle has 30, the loaded dataset "other\.csv" has 31/);
    expect(p.join('\n')).toMatch(/train \/ validation \/ test interactions: the bundle has 120 \/ 30 \/ 30, the loaded dataset "other\.csv" has 124 \/ 31 \/ 31/);
  });

  it('names the first differing id', () => {
    const { ds, c } = fresh();
    const renamed = { ...ds, itemIds: ds.itemIds!.map((x, k) => (k === 4 ? 'ZZZ' : x)) };
    expect(checkBundleAgainstDataset(c, renamed)).toEqual(['item ids differ at 1 of 20 indices; first at index 4: bundle "B004X", dataset "ZZZ"']);
    const noIds = { ...ds, userIds: undefined };
    expect(checkBundleAgainstDataset(c, noIds)[0]).toMatch(/user ids differ at 30 of 30 indices; first at index 0: bundle "user-0", dataset "0" \(the dataset has no original user ids\)/);
  });

  it('falls back to the fingerprint when sizes and ids agree but the interactions differ', () => {
    const { ds, c } = fresh();
    const items = ds.train.items.slice();
    items[0] = (items[0]! + 1) % ds.numItems;
    const p = checkBundleAgainstDataset(c, { ...ds, train: { users: ds.train.users, items } });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/same sizes and ids, but the training interactions or item texts differ \(fingerprint [0-9a-f]{16} in the bundle/);
    expect(bundleDatasetInfo(ds).fingerprint).toBe(c.dataset.fingerprint);
  });
});

describe('embeddings survive numpy-format details', () => {
  it('reads an embedding written by writeNpy unchanged', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect(readNpy(writeNpy(data, 2, 3)).data).toEqual(data);
  });
});
