import type { Program } from '../assistance/case.events';

export const PROGRAM_LABELS: Record<Program, string> = {
  dibao: '最低生活保障（低保）',
  tekun: '特困人员救助供养',
  temporary: '临时救助',
  orphan: '孤儿基本生活保障',
  unsupported_child: '事实无人抚养儿童基本生活保障',
};
export const PROGRAM_ORDER: readonly Program[] = ['dibao', 'tekun', 'orphan', 'unsupported_child', 'temporary'];
export const RESIDENCE_LABELS = { urban: '城市', rural: '农村' } as const;
