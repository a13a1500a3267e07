import * as tf from '@tensorflow/tfjs';
import type { Alignment, AlignNeeds, LossTerms } from './types';

/** The base backbone: no alignment, no variables, no loss terms. */
export class NoAlignment implements Alignment {
  readonly name = 'none' as const;
  readonly needs: AlignNeeds = { negatives: false, allCF: false, allLLM: false, epochCF: false };
  variables(): tf.Variable[] {
    return [];
  }
  namedVariables(): Record<string, tf.Variable> {
    return {};
  }
  weights(): Record<string, number> {
    return {};
  }
  losses(): LossTerms {
    return {};
  }
  scoringEmbeddings(userCF: tf.Tensor2D, itemCF: tf.Tensor2D): { users: tf.Tensor2D; items: tf.Tensor2D } {
    return { users: tf.clone(userCF), items: tf.clone(itemCF) };
  }
  dispose(): void {}
}
