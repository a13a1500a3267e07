/** Scrubs through stored snapshots by epoch; the views follow the selected one. */
export function SnapshotSlider(props: { epochs: number[]; index: number; onChange: (index: number) => void; disabled?: boolean }) {
  const last = Math.max(0, props.epochs.length - 1);
  return (
    <label className="inspect-slider">
      snapshot{' '}
      <input
        type="range"
        data-testid="snapshot-slider"
        min={0}
        max={last}
        step={1}
        value={Math.min(props.index, last)}
        disabled={props.disabled || props.epochs.length < 2}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
        aria-valuetext={`epoch ${props.epochs[props.index] ?? '–'}`}
      />{' '}
      <output data-testid="snapshot-epoch">
        {`epoch ${props.epochs[props.index] ?? '–'} (${props.epochs.length ? props.index + 1 : 0} of ${props.epochs.length})`}
      </output>
    </label>
  );
}
