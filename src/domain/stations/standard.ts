import { z } from 'zod';

/**
 * The 六有 standard a station is built to. Order matters only for display and for listing
 * unmet items in a stable order in the 422.
 */
export const STANDARD_ITEMS = ['venue', 'equipment', 'staff', 'service_functions', 'workflows', 'rules'] as const;
export const StandardItemSchema = z.enum(STANDARD_ITEMS);
export type StandardItem = z.infer<typeof StandardItemSchema>;

/** Labels as the county writes them, for read models and messages. */
export const STANDARD_ITEM_LABELS: Record<StandardItem, string> = {
  venue: '有场地',
  equipment: '有设备',
  staff: '有人员',
  service_functions: '有服务功能',
  workflows: '有工作流程',
  rules: '有规章制度',
};

export type StandardItemRecord = { met: true; note: string; on: string } | { met: false };
export type StandardChecklist = Record<StandardItem, StandardItemRecord>;

export const emptyChecklist = (): StandardChecklist => Object.fromEntries(STANDARD_ITEMS.map((item) => [item, { met: false }])) as StandardChecklist;

export const unmetItems = (checklist: StandardChecklist): StandardItem[] => STANDARD_ITEMS.filter((item) => !checklist[item].met);
