/** The preprocessing options (threshold, k-core, user sampling, split, seed) as one PreprocessConfig. */
import { useState, type JSX } from 'react';
import type { PreprocessConfig, SplitKind } from '../../core/data/preprocess';
import { parseRatio } from './preprocessOptions';

const SPLITS: { value: SplitKind; label: string }[] = [
  { value: 'random', label: 'Random 3:1:1 (RLMRec; every user/item in train)' },
  { value: 'loo', label: 'Leave-one-out (latest to test)' },
  { value: 'temporal', label: 'Global temporal cut' },
  { value: 'given', label: 'Keep the given split' },
];

export function PreprocessForm(props: {
  config: PreprocessConfig;
  disabled: boolean;
  hasRating: boolean;
  hasTimestamp: boolean;
  hasGivenSplit: boolean;
  onChange(c: PreprocessConfig): void;
}): JSX.Element {
  const c = props.config;
  const [ratioError, setRatioError] = useState<string | null>(null);
  const set = (patch: Partial<PreprocessConfig>) => props.onChange({ ...c, ...patch });
  const num = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);
  return (
    <fieldset className="form" disabled={props.disabled} data-testid="data-preprocess">
      <legend>Preprocessing</legend>
      <label>
        <span>Implicit threshold (keep rating ≥ t)</span>
        <span style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          <input type="checkbox" name="threshold-on" checked={c.threshold !== null} disabled={!props.hasRating} onChange={e => set({ threshold: e.currentTarget.checked ? 4 : null })} />
          <input type="number" name="threshold" step="0.5" value={c.threshold ?? ''} disabled={c.threshold === null} onChange={e => set({ threshold: num(e.currentTarget.valueAsNumber, 4) })} />
        </span>
      </label>
      <label>
        <span>Remove duplicate (user, item) pairs</span>
        <input type="checkbox" name="dedup" checked={c.dedup} onChange={e => set({ dedup: e.currentTarget.checked })} />
      </label>
      <label>
        <span>k-core: users with ≥</span>
        <input type="number" name="kcore-user" min={0} step={1} value={c.kcore.user} onChange={e => set({ kcore: { ...c.kcore, user: Math.max(0, Math.floor(num(e.currentTarget.valueAsNumber, 0))) } })} />
      </label>
      <label>
        <span>k-core: items with ≥</span>
        <input type="number" name="kcore-item" min={0} step={1} value={c.kcore.item} onChange={e => set({ kcore: { ...c.kcore, item: Math.max(0, Math.floor(num(e.currentTarget.valueAsNumber, 0))) } })} />
      </label>
      <label>
        <span>Sample users (fraction, seeded)</span>
        <input type="number" name="sample-users" min={0.01} max={1} step={0.05} value={c.sampleUsers} onChange={e => set({ sampleUsers: Math.min(1, Math.max(0.001, num(e.currentTarget.valueAsNumber, 1))) })} />
      </label>
      <label>
        <span>Split</span>
        <select name="split" value={c.split} onChange={e => set({ split: e.currentTarget.value as SplitKind })}>
          {SPLITS.map(s => (
            <option key={s.value} value={s.value} disabled={(s.value === 'given' && !props.hasGivenSplit) || (s.value === 'temporal' && !props.hasTimestamp)}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {(c.split === 'random' || c.split === 'temporal') && (
        <label>
          <span>Ratio train:val:test</span>
          <input
            name="ratio"
            defaultValue={c.ratio.join(':')}
            aria-invalid={ratioError !== null}
            onBlur={e => {
              const r = parseRatio(e.currentTarget.value);
              if ('ratio' in r) {
                setRatioError(null);
                set({ ratio: r.ratio });
              } else {
                // The field goes back to the ratio in use, and says why.
                setRatioError(`${r.error}; keeping ${c.ratio.join(':')}`);
                e.currentTarget.value = c.ratio.join(':');
              }
            }}
          />
        </label>
      )}
      {ratioError && (c.split === 'random' || c.split === 'temporal') && (
        <p role="alert" className="error" data-testid="ratio-error">{ratioError}</p>
      )}
      <label>
        <span>Split seed</span>
        <input type="number" name="split-seed" step={1} value={c.seed} onChange={e => set({ seed: Math.floor(num(e.currentTarget.valueAsNumber, c.seed)) })} />
      </label>
    </fieldset>
  );
}
