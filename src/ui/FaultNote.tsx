import type { RunFault } from '../workers/protocol';

/** What stopped the run, what was kept, and what the user can do next. */
export function FaultNote(props: { fault: RunFault; lr: number; canContinue: boolean; onContinue(): void }) {
  const { fault } = props;
  const kept = fault.checkpointEpoch === null
    ? 'It stopped before its first checkpoint, so there is nothing stored to resume from.'
    : `Its checkpoint after epoch ${fault.checkpointEpoch} is kept under “Saved runs”.`;
  if (fault.kind === 'numerical') {
    return (
      <div role="alert" className="error" data-testid="fault" data-kind={fault.kind}>
        <p>Training stopped: {fault.message}. That step was not applied. {kept}</p>
        <p>Lower the learning rate (now {props.lr}) or the loss weights, then start again or resume the checkpoint.</p>
      </div>
    );
  }
  const resumable = fault.runId !== null && fault.checkpointEpoch !== null;
  return (
    <div role="alert" className="error" data-testid="fault" data-kind={fault.kind}>
      <p>
        Paused: {fault.message}.{' '}
        {resumable
          ? `The run's weights and early-stopping state after epoch ${fault.checkpointEpoch} are kept, with its curves.`
          : fault.runId === null ? 'No run was in progress; the next Start opens a new GPU device (or choose wasm).' : kept}
      </p>
      {resumable && (
        <p>
          <button data-testid="continue-wasm" disabled={!props.canContinue} onClick={props.onContinue}>Continue on wasm</button>{' '}
          <span className="muted">WebAssembly on the CPU: slower, but it does not depend on the GPU.</span>
        </p>
      )}
    </div>
  );
}
