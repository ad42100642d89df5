import type { Bilingual } from '../../i18n/language';

/** Case statuses in the UI language (the API has no vocabulary for them; its codes are English). */
export const CASE_STATUS_LABEL: Record<string, Bilingual> = {
  applied: { zh: '已申请', en: 'Applied' },
  accepted: { zh: '已受理', en: 'Accepted' },
  investigating: { zh: '调查核实中', en: 'Investigating' },
  in_notice: { zh: '公示中', en: 'In public notice' },
  submitted: { zh: '已报送', en: 'Submitted' },
  checked: { zh: '已审核', en: 'Checked' },
  returned: { zh: '已退回', en: 'Returned' },
  emergency_granted: { zh: '急难先行救助', en: 'Emergency granted' },
  granted: { zh: '已批准', en: 'Granted' },
  denied: { zh: '不予批准', en: 'Denied' },
  stopped: { zh: '已停保', en: 'Stopped' },
  closed: { zh: '已结案', en: 'Closed' },
};

export const caseStatusLabel = (status: string, language: 'zh' | 'en'): string => CASE_STATUS_LABEL[status]?.[language] ?? status;
