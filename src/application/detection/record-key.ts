import { createHash } from 'node:crypto';
import type { Observation } from '../../domain/detection/observation';
import type { Source } from '../../domain/detection/vocabulary';
import { canonicalJson } from '../hash-chain';

/**
 * Identifies one observation across imports: the same facts about the same person from the
 * same source, whatever batch they arrive in, are recorded once ("unchanged" the next time).
 * Built from the person id, never the ID number itself.
 */
export const recordKeyOf = (source: Source, personId: string, observation: Observation): string =>
  createHash('sha256').update(canonicalJson({ source, personId, observation })).digest('hex');
