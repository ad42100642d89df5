import { Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { CoverageBoard, type Drill } from './CoverageBoard';
import { useCoverage } from './coverage-query';

/** The bureau's landing screen: who covers every grid cell of the county, and where nobody does. */
export default function CoveragePage() {
  const { t } = useLanguage();
  const query = useCoverage();
  const [params, setParams] = useSearchParams();
  const drill: Drill = {
    ...(params.get('town') ? { town: params.get('town')! } : {}),
    ...(params.get('village') ? { village: params.get('village')! } : {}),
    gapsOnly: params.get('gaps') === '1',
  };
  const onDrill = (next: Drill) =>
    setParams({ ...(next.town ? { town: next.town } : {}), ...(next.village ? { village: next.village } : {}), ...(next.gapsOnly ? { gaps: '1' } : {}) });
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
