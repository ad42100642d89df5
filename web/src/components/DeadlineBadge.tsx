import { Tag } from 'antd';
import { useLanguage } from '../i18n/LanguageContext';
import { useToday } from '../session/useToday';
import { daysUntil, deadlineState } from './deadline';

const COLOR = { overdue: 'red', 'due-soon': 'orange', ok: 'green', done: 'default' } as const;

/** A due date with how it stands: 已逾期 N 天 / N 天内到期 / 正常 / 已完成. */
export function DeadlineBadge({ due, today, done, soonDays }: { due: string; today?: string; done?: boolean; soonDays?: number }) {
  const { t } = useLanguage();
  const sessionToday = useToday();
  const day = today ?? sessionToday;
  const state = deadlineState(due, day, { done: done ?? false, soonDays: soonDays ?? 7 });
  const days = daysUntil(due, day);
  const text =
    state === 'overdue'
      ? t({ zh: `已逾期 ${-days} 天`, en: `${-days} d overdue` })
      : state === 'due-soon'
        ? days === 0
          ? t({ zh: '今天到期', en: 'Due today' })
          : t({ zh: `${days} 天内到期`, en: `Due in ${days} d` })
        : state === 'done'
          ? t({ zh: '已完成', en: 'Done' })
          : t({ zh: '正常', en: 'On track' });
  return (
    <Tag color={COLOR[state]} data-state={state} title={due.slice(0, 10)}>
      {text}
    </Tag>
  );
}
