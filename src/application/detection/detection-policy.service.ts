import { readFileSync } from 'node:fs';
import { DetectionPolicySchema, detectionPolicyOn, type DetectionPolicy } from '../../domain/detection/detection-policy';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { detectionPolicies } from '../../projections/detection/imports.queries';
import { authorize } from '../authorization';
import type { CommandContext, CommandHandler } from '../command-handler';
import { detectionPolicies as detectionPolicyStream } from './detection.aggregates';
import { detectionPolicies as access } from './detection.policies';
import type { Db } from '../db';

const DEFAULT_POLICY_FILE = new URL('../../../policies/detection-policy.default.json', import.meta.url);

/** Detection policy versions: read, add (admin), and the default seeded as version 1 on first start. */
export class DetectionPolicyService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
  ) {}

  versions(): Promise<DetectionPolicy[]> {
    return detectionPolicies(this.db);
  }

  async inForce(day: string): Promise<DetectionPolicy> {
    return detectionPolicyOn(await this.versions(), day);
  }

  /** The version an import started with: a resumed import keeps judging by it. */
  async version(version: number): Promise<DetectionPolicy> {
    const found = (await this.versions()).find((v) => v.version === version);
    if (!found) throw new DomainRuleViolation('detection_policy.unknown_version', `no detection policy version ${version}`, { version });
    return found;
  }

  async add(context: CommandContext, policy: Omit<DetectionPolicy, 'version'>): Promise<DetectionPolicy> {
    await authorize(context.actor, access.setPolicy, policy, 'set detection policies');
    const result = await this.commands.handle(detectionPolicyStream, null, { type: 'AddDetectionPolicyVersion', data: { policy } }, context);
    return result.state.versions.at(-1)!;
  }

  /** On first start the default file becomes version 1, as an event like any other. */
  async seedDefault(context: CommandContext): Promise<void> {
    if ((await this.versions()).length > 0) return;
    const { version: _v, ...policy } = DetectionPolicySchema.parse(JSON.parse(readFileSync(DEFAULT_POLICY_FILE, 'utf8')));
    // Two instances starting together: the loser re-reads, finds the seed, and is done.
    await this.commands.handle(detectionPolicyStream, null, { type: 'AddDetectionPolicyVersion', data: { policy } }, context, { retryOnConflict: true });
  }
}
