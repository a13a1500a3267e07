import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdRunLock } from '../../src/workers/runStore';

describe('holdRunLock', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('without Web Locks: resolves with a no-op', async () => {
    vi.stubGlobal('navigator', {});
    const unlock = await holdRunLock('r');
    expect(() => unlock()).not.toThrow();
  });

  it('holds the lock until the returned function is called', async () => {
    let released = false;
    const request = vi.fn((_name: string, cb: () => Promise<void>) => cb().then(() => { released = true; }));
    vi.stubGlobal('navigator', { locks: { request } });
    const unlock = await holdRunLock('r1');
    expect(request).toHaveBeenCalledWith('darec-run:r1', expect.any(Function));
    await Promise.resolve();
    expect(released).toBe(false);
    unlock();
    await vi.waitFor(() => expect(released).toBe(true));
  });

  it('a refused request (e.g. SecurityError) resolves with a no-op instead of waiting forever', async () => {
    const request = vi.fn(() => Promise.reject(new DOMException('locks are not allowed here', 'SecurityError')));
    vi.stubGlobal('navigator', { locks: { request } });
    const unlock = await holdRunLock('r2');
    expect(request).toHaveBeenCalledTimes(1);
    expect(() => unlock()).not.toThrow();
  });
});
