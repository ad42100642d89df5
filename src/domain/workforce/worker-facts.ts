import { z } from 'zod';

/** 县级 / 镇级 / 村级 social worker. */
export const WorkerLevelSchema = z.enum(['county', 'town', 'village']);
export type WorkerLevel = z.infer<typeof WorkerLevelSchema>;

/**
 * What a decider of another aggregate (a villager group, a town worker linking a village
 * worker, a mentoring pair) needs to know about a worker. The application reads it from the
 * worker's stream or read model and passes it in the command; the decider checks the rules.
 */
export interface WorkerFacts {
  workerId: string;
  level: WorkerLevel;
  status: 'employed' | 'left';
}
