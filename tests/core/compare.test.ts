import { describe, expect, it } from 'vitest';
import { comparisonRuns } from '../../src/core/compare';
import { defaultConfig } from '../../src/core/config';

describe('comparison runs', () => {
  it('base, RLMRec-Con, RLMRec-Gen, DaRec and ablations with RLMRec regularisation, base config untouched', () => {
    const base = defaultConfig();
    base.align.options = { darec: { weights: { glo: 0.5 } } };
    const before = structuredClone(base);
    const runs = comparisonRuns(base, ['no-local']);
    expect(runs.map(r => r.name)).toEqual(['lightgcn (base)', 'rlmrec-con', 'rlmrec-gen', 'darec', 'darec/no-local']);
    expect(runs.map(r => r.config.align.method)).toEqual(['none', 'rlmrec-con', 'rlmrec-gen', 'darec', 'darec']);
    expect(runs.map(r => r.config.train.regWeight)).toEqual([1e-6, 1e-7, 1e-7, 1e-7, 1e-7]);
    expect(runs[3]!.config.align.options.ablation).toBeUndefined();
    expect(runs[4]!.config.align.options).toEqual({ darec: { weights: { glo: 0.5 } }, ablation: 'no-local' });
    expect(base).toEqual(before);
    expect(comparisonRuns(base, [], true).map(r => r.config.train.regWeight)).toEqual([1e-6, 1e-6, 1e-6, 1e-6]);
    expect(() => comparisonRuns(base, ['no-such'])).toThrow(/unknown ablation/);
  });
});
