import type { Bilingual } from '../../i18n/language';

/**
 * The score sheet's metric keys in the UI language. The API has no vocabulary for them; these are
 * the labels of src/domain/performance/not-applicable.ts (METRIC_LABELS), which the CSV uses too.
 */
const METRIC_LABELS: Record<string, Bilingual> = {
  visits_done: { zh: '走访完成', en: 'Visits done' },
  visits_on_time: { zh: '走访及时', en: 'Visits on time' },
  reviews_on_time: { zh: '动态复核及时', en: 'Reviews on time' },
  cases_on_time: { zh: '审核按期', en: 'Cases decided on time' },
  submissions_approved: { zh: '主动发现（政策找人）', en: 'Proactive applications' },
  training_attended: { zh: '参加培训', en: 'Training attended' },
  mentoring: { zh: '老带新', en: 'Mentoring' },
  tasks_on_time: { zh: '预警任务按期办结', en: 'Tasks answered on time' },
};

/** A metric's label; an unknown (newer) key is shown as it is rather than hidden. */
export const metricLabel = (key: string, language: 'zh' | 'en'): string => METRIC_LABELS[key]?.[language] ?? key;
