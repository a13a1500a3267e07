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
  /**
   * Resolves when the run may go on; returns false when it must stop. Always
   * yields one macrotask first: on cpu/wasm `await tensor.data()` resolves as a
   * microtask, so without this a worker would never see pause/stop messages.
   */
  async checkpoint(onPause?: () => void, onResume?: () => void): Promise<boolean> {
    await yieldToEventLoop();
    if (this.paused && !this.stopped) {
      onPause?.();
      while (this.paused && !this.stopped) await new Promise<void>(r => (this.wake = r));
      if (!this.stopped) onResume?.();
    }
    return !this.stopped;
  }
}

/** A macrotask boundary without setTimeout's 4 ms clamping (MessageChannel exists in browsers, workers and Node). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise(resolve => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
