import { DetectionPolicySchema, detectionPolicyOn, type DetectionPolicy } from '../../domain/detection/detection-policy';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { detectionPolicies } from '../../projections/detection/imports.queries';
import type { CommandContext, CommandHandler } from '../command-handler';
import { detectionPolicies as detectionPolicyStream } from './detection.aggregates';
import { detectionPermissions as access } from '../permissions/detection.permissions';
import type { Db } from '../db';
import { PolicyVersionStream } from '../policy-version-stream';

const DEFAULT_POLICY_FILE = new URL('../../../policies/detection-policy.default.json', import.meta.url);

/** Detection policy versions: read, add (admin), and the default seeded as version 1 on first start. */
export class DetectionPolicyService {
  private readonly stream;

  constructor(
    commands: CommandHandler,
    private readonly db: Db,
  ) {
    this.stream = new PolicyVersionStream(commands, {
      aggregate: detectionPolicyStream,
      add: (policy) => ({ type: 'AddDetectionPolicyVersion' as const, data: { policy } }),
      write: access.setPolicy,
      what: 'set detection policies',
      defaultFile: DEFAULT_POLICY_FILE,
      schema: DetectionPolicySchema,
      versions: () => this.versions(),
    });
  }

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

  add(context: CommandContext, policy: Omit<DetectionPolicy, 'version'>): Promise<DetectionPolicy> {
    return this.stream.add(context, policy);
  }

  seedDefault(context: CommandContext): Promise<void> {
    return this.stream.seedDefault(context);
  }
}
