import { withBackbone, type RunConfig } from '../core/config';
import { BACKBONES, BACKBONE_PRESETS, type BackboneName } from '../core/models/presets';
import { ALIGN_NAMES } from '../core/align/constants';
import { DAREC_ABLATIONS, resolveDaRecConfig, type DaRecAblation } from '../core/align/darec/config';
import type { AlignName } from '../core/align/types';

const ALIGN_LABEL: Record<AlignName, string> = {
  none: 'none (base backbone)',
  'rlmrec-con': 'RLMRec-Con (contrastive)',
  'rlmrec-gen': 'RLMRec-Gen (masked generation)',
  darec: 'DaRec (disentangled alignment)',
};

/** DaRec options shown in the form; every other option keeps its documented default (src/core/align/darec/config.ts). */
const DAREC_FIELDS: { label: string; path: [string, string?]; step: number }[] = [
  { label: 'λ orthogonality', path: ['weights', 'orth'], step: 0.01 },
  { label: 'λ uniformity', path: ['weights', 'uni'], step: 0.01 },
  { label: 'λ global', path: ['weights', 'glo'], step: 0.01 },
  { label: 'λ local', path: ['weights', 'loc'], step: 0.01 },
  { label: 'Clusters K', path: ['local', 'clusters'], step: 1 },
  { label: 'Local τ', path: ['local', 'temperature'], step: 0.05 },
];

/** Backbone, alignment and its options; edits a copy of the config and reports it. */
export function ModelCard(props: { config: RunConfig; disabled: boolean; hasProvidedEmbeddings: boolean; onChange(c: RunConfig): void }) {
  const { config: c, disabled } = props;
  const darec = resolveDaRecConfig(c.align.options.darec);
  const update = (f: (x: RunConfig) => void) => {
    const x = structuredClone(c);
    f(x);
    props.onChange(x);
  };
  return (
    <fieldset className="form" disabled={disabled}>
      <legend>Model and alignment</legend>
      <label>
        <span>Backbone (RLMRec defaults)</span>
        <select name="backbone" value={c.model.backbone} onChange={e => props.onChange(withBackbone(c, e.currentTarget.value as BackboneName, BACKBONE_PRESETS))}>
          {BACKBONES.map(b => <option key={b} value={b}>{b}</option>)}
        </select>
      </label>
      <label>
        <span>Alignment</span>
        <select name="align" value={c.align.method} onChange={e => update(x => {
          const was = x.align.method;
          x.align.method = e.currentTarget.value as AlignName;
          // RLMRec regularises aligned models at 1e-7 and base models at their backbone's setting.
          if (was === 'none' && x.align.method !== 'none') x.train.regWeight = 1e-7;
          if (was !== 'none' && x.align.method === 'none') x.train.regWeight = BACKBONE_PRESETS[x.model.backbone].regWeight;
        })}>
          {ALIGN_NAMES.map(a => <option key={a} value={a}>{ALIGN_LABEL[a]}</option>)}
        </select>
      </label>
      {c.align.method !== 'none' && (
        <label>
          <span>LLM embeddings</span>
          <select name="llm-source" value={c.llm.source} onChange={e => update(x => { x.llm.source = e.currentTarget.value as 'tfidf' | 'provided'; })}>
            <option value="tfidf">built-in TF-IDF projection (no model)</option>
            <option value="provided" disabled={!props.hasProvidedEmbeddings}>from the Embeddings step{props.hasProvidedEmbeddings ? '' : ' (none yet)'}</option>
          </select>
        </label>
      )}
      {c.align.method === 'darec' && (
        <>
          <label>
            <span>Ablation</span>
            <select name="ablation" value={c.align.options.ablation ?? 'full'} onChange={e => update(x => {
              const v = e.currentTarget.value as DaRecAblation;
              if (v === 'full') delete x.align.options.ablation;
              else x.align.options.ablation = v;
            })}>
              {DAREC_ABLATIONS.map(a => <option key={a} value={a}>{a}</option>)}
            </select>
          </label>
          {DAREC_FIELDS.map(f => {
            const [group, key] = f.path as [keyof typeof darec, string];
            const value = (darec[group] as unknown as Record<string, number>)[key];
            return (
              <label key={f.label}>
                <span>{f.label}</span>
                <input type="number" name={`darec-${group}-${key}`} step={f.step} defaultValue={value} onChange={e => {
                  const v = e.currentTarget.valueAsNumber;
                  if (!Number.isFinite(v)) return;
                  update(x => {
                    const d = (x.align.options.darec ??= {}) as Record<string, Record<string, number>>;
                    (d[group as string] ??= {})[key] = v;
                  });
                }} />
              </label>
            );
          })}
        </>
      )}
    </fieldset>
  );
}
