import { Typography } from 'antd';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { CoverageBoard } from './CoverageBoard';
import { useDrill } from './coverage-drill';
import { useCoverage } from './coverage-query';

/** The bureau's landing screen: who covers every grid cell of the county, and where nobody does. */
export default function CoveragePage() {
  const { t } = useLanguage();
  const query = useCoverage();
  const [drill, onDrill] = useDrill();
  return (
    <>
      <Typography.Title level={4}>
        {t({ zh: '服务覆盖', en: 'Coverage' })}
        {query.data && (
          <Typography.Text type="secondary" style={{ fontSize: 14, marginInlineStart: 8 }}>
            {query.data.asOf}
          </Typography.Text>
        )}
      </Typography.Title>
      <QueryState query={query} isEmpty={(report) => report.towns.length === 0}>
        {(report) => <CoverageBoard report={report} drill={drill} onDrill={onDrill} />}
      </QueryState>
    </>
  );
}
