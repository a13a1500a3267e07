/**
 * Pause / resume / stop, checked by the trainer between steps. Pausing parks
 * the loop on a promise, so a paused worker uses no CPU.
 */
export class RunControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;

  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.wake?.();
    this.wake = null;
  }
  stop(): void {
    this.stopped = true;
    this.resume();
  }
  get isStopped(): boolean {
    return this.stopped;
  }
  get isPaused(): boolean {
    return this.paused;
  }
  /** Resolves when the run may go on; returns false when it must stop. */
  async checkpoint(onPause?: () => void, onResume?: () => void): Promise<boolean> {
    if (this.paused && !this.stopped) {
      onPause?.();
      while (this.paused && !this.stopped) await new Promise<void>(r => (this.wake = r));
      if (!this.stopped) onResume?.();
    }
    return !this.stopped;
  }
}
