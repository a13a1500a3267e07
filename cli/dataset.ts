import type { RunConfig } from '../src/core/config';
import type { Dataset } from '../src/core/data/types';
import { generateDemo } from '../src/core/data/demo';

/** The CLI's dataset: the generated demo, or a file / folder / archive on disk. */
export async function loadCliDataset(config: RunConfig, _flags: Record<string, string | boolean | undefined>): Promise<Dataset> {
  if (config.data.kind === 'demo') return generateDemo(config.data);
  throw new Error(`reading "${config.data.name}" is not supported yet`);
}
