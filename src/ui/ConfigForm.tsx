import { NUMERIC_PARAMS, type BackendChoice, type RunConfig } from '../core/config';

/** Hyper-parameter form: every numeric parameter of the config plus the choices. Edits a copy and reports it. */
export function ConfigForm(props: { config: RunConfig; disabled: boolean; onChange(c: RunConfig): void }) {
  const { config, disabled } = props;
  const update = (f: (c: RunConfig) => void) => {
    const c = structuredClone(config);
    f(c);
    props.onChange(c);
  };
  return (
    <fieldset className="form" disabled={disabled}>
      <legend>Hyper-parameters</legend>
      {NUMERIC_PARAMS.map(p => (
        <label key={p.key}>
          <span>{p.label}</span>
          <input
            type="number"
            name={p.key}
            step="any"
            min={p.min}
            max={p.max === Infinity ? undefined : p.max}
            defaultValue={p.get(config)}
            onChange={e => {
              const v = e.currentTarget.valueAsNumber;
              update(c => p.set(c, Number.isNaN(v) ? NaN : v));
            }}
          />
        </label>
      ))}
      <label>
        <span>Layer combination</span>
        <select name="combine" value={config.model.combine} onChange={e => update(c => { c.model.combine = e.currentTarget.value as 'sum' | 'mean'; })}>
          <option value="sum">sum (RLMRec code)</option>
          <option value="mean">mean (LightGCN paper)</option>
        </select>
      </label>
      <label>
        <span>Backend</span>
        <select name="backend" value={config.backend} onChange={e => update(c => { c.backend = e.currentTarget.value as BackendChoice; })}>
          <option value="auto">auto (WebGPU → wasm → cpu)</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">wasm</option>
          <option value="cpu">cpu</option>
        </select>
      </label>
    </fieldset>
  );
}
