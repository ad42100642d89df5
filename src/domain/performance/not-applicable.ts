import type { Bilingual } from '../assistance/eligibility/eligibility-result';

/**
 * Why a metric has nothing to measure for a worker. A metric with no applicable facts (not in a
 * 老带新 pair, no reviews due, no tasks assigned, …) is *not applicable*: it is neither a 0 nor a
 * 100, its weight is shared among the applicable metrics of its dimension, and the score sheet
 * says so in these words.
 */
export interface NotApplicable extends Bilingual {
  /** Stable code: `not_in_mentoring_pair`, `no_reviews_due`, `no_tasks_assigned`, … */
  code: string;
}

const REASONS: Record<string, NotApplicable> = {
  visits_done: { code: 'no_groups_held', zh: '考核期内未包保村(居)民小组，无应走访任务', en: 'held no villager group in the period, so no visits were due' },
  visits_on_time: {
    code: 'no_visits_recorded',
    zh: '考核期内无走访记录可衡量及时性',
    en: 'recorded no visits in the period whose timeliness could be measured',
  },
  reviews_on_time: { code: 'no_reviews_due', zh: '考核期内无到期的动态复核', en: 'had no dynamic review due in the period' },
  cases_on_time: { code: 'no_cases_decided', zh: '考核期内未作出救助审核决定', en: 'took no assistance decision in the period' },
  submissions_approved: {
    code: 'no_proactive_applications',
    zh: '考核期内无主动发现（政策找人）的申请',
    en: 'started no proactive application (政策找人) that was decided in the period',
  },
  training_attended: { code: 'no_training_held', zh: '在岗期间未举办培训', en: 'no training session was held while employed in the period' },
  mentoring: { code: 'not_in_mentoring_pair', zh: '考核期内未参加老带新结对', en: 'was not in a mentoring pair (老带新) in the period' },
  tasks_on_time: { code: 'no_tasks_assigned', zh: '考核期内无分派的比对预警任务', en: 'was assigned no detection task in the period' },
};

export const notEmployed: NotApplicable = { code: 'not_employed', zh: '考核期内不在岗', en: 'was not employed in the period' };

/** The reason for a metric key; a key no source measures is not applicable either. */
export function notApplicableReason(key: string, measured: boolean): NotApplicable {
  if (!measured) return { code: 'no_source', zh: `指标“${key}”无数据来源`, en: `no source measures the metric "${key}"` };
  return (
    REASONS[key] ?? { code: 'nothing_to_measure', zh: `指标“${key}”在考核期内无可衡量的事项`, en: `the metric "${key}" had nothing to measure in the period` }
  );
}

/** Dimension labels, for the sentences on the score sheet. */
export const DIMENSION_LABELS: Record<string, Bilingual> = {
  discipline: { zh: '工作纪律', en: 'work discipline' },
  attitude: { zh: '工作态度', en: 'attitude' },
  knowledge: { zh: '业务知识', en: 'professional knowledge' },
  task_completion: { zh: '工作任务完成情况', en: 'task completion' },
};

export const METRIC_LABELS: Record<string, Bilingual> = {
  visits_done: { zh: '走访完成', en: 'visits done' },
  visits_on_time: { zh: '走访及时', en: 'visits on time' },
  reviews_on_time: { zh: '动态复核及时', en: 'reviews on time' },
  cases_on_time: { zh: '审核按期', en: 'cases decided on time' },
  submissions_approved: { zh: '主动发现（政策找人）', en: 'proactive applications' },
  training_attended: { zh: '参加培训', en: 'training attended' },
  mentoring: { zh: '老带新', en: 'mentoring' },
  tasks_on_time: { zh: '预警任务按期办结', en: 'tasks answered on time' },
};
