import { Space, Tag } from 'antd';
import { useLanguage } from '../../i18n/LanguageContext';
import type { Bilingual } from '../../i18n/language';
import type { Gap, GapCounts } from './coverage-model';

export const GAP_LABEL: Record<Gap, Bilingual> = {
  'no-responsible-worker': { zh: '无责任社工', en: 'No responsible worker' },
  'not-visited-this-month': { zh: '本月未走访', en: 'Not visited this month' },
  'no-operating-point': { zh: '无运营服务点', en: 'No operating service point' },
};

/** A row's own gaps as red tags (data-gap for the browser test); "无缺口" when there are none. */
export function GapTags({ gaps }: { gaps: Gap[] }) {
  const { t } = useLanguage();
  if (gaps.length === 0) return <Tag color="green">{t({ zh: '无缺口', en: 'No gap' })}</Tag>;
  return (
    <Space size={4} wrap>
      {gaps.map((gap) => (
        <Tag key={gap} color="red" data-gap={gap}>
          {t(GAP_LABEL[gap])}
        </Tag>
      ))}
    </Space>
  );
}

/** The gaps below a town or village, counted by kind ("本月未走访 3"). */
export function GapCountTags({ counts }: { counts: GapCounts }) {
  const { t } = useLanguage();
  const present = (Object.keys(counts) as Gap[]).filter((gap) => counts[gap] > 0);
  if (present.length === 0) return <Tag color="green">{t({ zh: '无缺口', en: 'No gap' })}</Tag>;
  return (
    <Space size={4} wrap>
      {present.map((gap) => (
        <Tag key={gap} color={gap === 'not-visited-this-month' ? 'orange' : 'red'} data-gap={gap}>
          {t(GAP_LABEL[gap])} {counts[gap]}
        </Tag>
      ))}
    </Space>
  );
}
