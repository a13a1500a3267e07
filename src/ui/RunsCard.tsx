import { useCallback, useEffect, useState } from 'react';
import { RunStore, interruptedRuns, liveRunIds, type RunRecord } from '../workers/runStore';
import { SESSION } from './useTrainRun';

/** Opened once per page; null when the browser has no IndexedDB (then runs are not kept). */
let storePromise: Promise<RunStore | null> | null = null;
const store = () => (storePromise ??= RunStore.open().catch(() => null));

/**
 * Runs kept in IndexedDB (config, metrics, history, checkpoints), newest first,
 * with delete; an interrupted run (its page was reloaded or crashed) is offered
 * for resume from its last checkpoint, and so is a stopped or failed one (after a
 * NaN loss, from its last good checkpoint).
 */
export function RunsCard(props: { refreshKey: unknown; busy: boolean; onResume(run: RunRecord): void }) {
  const [runs, setRuns] = useState<RunRecord[] | null>(null);
  const [live, setLive] = useState<Set<string>>(new Set());
  const [unavailable, setUnavailable] = useState(false);
  const reload = useCallback(async () => {
    const s = await store();
    if (!s) return setUnavailable(true);
    const [list, liveIds] = await Promise.all([s.listRuns(), liveRunIds()]);
    setLive(liveIds);
    setRuns(list);
  }, []);
  useEffect(() => void reload(), [reload, props.refreshKey]);

  if (unavailable) return <section className="card"><h2>Saved runs</h2><p className="muted">This browser gives the page no IndexedDB, so runs are not kept.</p></section>;
  if (!runs) return null;
  // A 'running' record of another page session whose worker no longer holds the run's lock: that page is gone (reload or crash).
  const interrupted = interruptedRuns(runs, { currentOwner: SESSION, live });
  const r20 = (r: RunRecord) => ((r.metrics as { test?: Record<string, number> }).test?.['recall@20']);
  return (
    <section className="card" data-testid="runs">
      <h2>Saved runs</h2>
      {interrupted.map(r => (
        <p key={r.id} className="note" role="status" data-testid="resume-offer">
          “{r.name}” was interrupted after a checkpoint at epoch {r.lastCheckpointEpoch ?? '—'}.{' '}
          <button data-testid="resume-run" disabled={props.busy || !r.lastCheckpointEpoch} onClick={() => props.onResume(r)}>Resume</button>{' '}
          <button onClick={async () => { await (await store())?.putRun({ ...r, status: 'stopped', updated: Date.now() }); void reload(); }}>Dismiss</button>
        </p>
      ))}
      {runs.length === 0 ? <p className="muted">Runs are saved here as they train.</p> : (
        <table className="metrics runs">
          <thead><tr><th>run</th><th>status</th><th>started</th><th>checkpoint</th><th>test R@20</th><th /></tr></thead>
          <tbody>
            {runs.slice(0, 30).map(r => (
              <tr key={r.id}>
                <th>{r.name ?? r.id.slice(0, 8)}</th>
                <td>{r.status}{r.owner !== SESSION && live.has(r.id) ? ' (in another tab)' : ''}</td>
                <td>{new Date(r.created).toLocaleString()}</td>
                <td>{r.lastCheckpointEpoch ?? '—'}</td>
                <td>{r20(r)?.toFixed(4) ?? '—'}</td>
                <td>
                  {(r.status === 'failed' || r.status === 'stopped') && !!r.lastCheckpointEpoch && (
                    <button data-testid="resume-saved" disabled={props.busy} title={r.error} onClick={() => props.onResume(r)}>Resume from {r.lastCheckpointEpoch}</button>
                  )}{' '}
                  <button disabled={(props.busy && r.owner === SESSION && r.status === 'running') || live.has(r.id)} onClick={async () => { await (await store())?.deleteRun(r.id); void reload(); }}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
