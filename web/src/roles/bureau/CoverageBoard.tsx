import { Breadcrumb, Card, Col, Row, Statistic, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useLanguage } from '../../i18n/LanguageContext';
import {
  groupGaps,
  percent,
  totalGaps,
  townGapCounts,
  villageGapCounts,
  villageGaps,
  type CoverageReport,
  type GroupCoverage,
  type TownCoverage,
  type VillageCoverage,
} from './coverage-model';
import { GapCountTags, GapTags } from './GapTags';

/** Where the board is drilled to: the county, a town, or a village in it. */
export interface Drill {
  town?: string;
  village?: string;
  gapsOnly: boolean;
}

const GAP_ROW = { style: { background: '#fff1f0' } } as const;

/**
 * The coverage board: totals, then towns → villages → groups, each row with its gaps. Pure over a
 * report and the drill state (the page keeps that in the URL, so "back" climbs a level).
 */
export function CoverageBoard({ report, drill, onDrill }: { report: CoverageReport; drill: Drill; onDrill: (next: Drill) => void }) {
  const { t } = useLanguage();
  const town = report.towns.find((x) => x.id === drill.town);
  const village = town?.villages.find((x) => x.id === drill.village);

  const townColumns: TableColumnsType<TownCoverage> = [
    { title: t({ zh: '乡镇', en: 'Town' }), dataIndex: 'name', render: (name: string) => <a>{name}</a> },
    { title: t({ zh: '村（社区）', en: 'Villages' }), render: (_, x) => x.villages.length },
    { title: t({ zh: '村民小组', en: 'Groups' }), render: (_, x) => x.villages.reduce((n, v) => n + v.groups.length, 0) },
    {
      title: t({ zh: '社工站', en: 'Town station' }),
      render: (_, x) =>
        x.townStation?.status === 'operating' ? (
          <Tag color="green">{t({ zh: '运营中', en: 'Operating' })}</Tag>
        ) : (
          <Tag color="red">{t({ zh: '未运营', en: 'Not operating' })}</Tag>
        ),
    },
    { title: t({ zh: '缺口', en: 'Gaps' }), render: (_, x) => <GapCountTags counts={townGapCounts(x)} /> },
  ];
  const villageColumns: TableColumnsType<VillageCoverage> = [
    { title: t({ zh: '村（社区）', en: 'Village' }), dataIndex: 'name', render: (name: string) => <a>{name}</a> },
    { title: t({ zh: '村民小组', en: 'Groups' }), render: (_, x) => x.groups.length },
    {
      title: t({ zh: '服务点', en: 'Service point' }),
      render: (_, x) =>
        x.servicePoint?.status === 'operating' ? <Tag color="green">{t({ zh: '运营中', en: 'Operating' })}</Tag> : <GapTags gaps={villageGaps(x)} />,
    },
    { title: t({ zh: '缺口', en: 'Gaps' }), render: (_, x) => <GapCountTags counts={villageGapCounts(x)} /> },
  ];
  const groupColumns: TableColumnsType<GroupCoverage> = [
    { title: t({ zh: '村民小组', en: 'Group' }), dataIndex: 'name' },
    {
      title: t({ zh: '责任社工', en: 'Responsible worker' }),
      render: (_, x) => x.responsibleWorker?.name ?? '—',
    },
    { title: t({ zh: '本月走访', en: 'Visits this month' }), render: (_, x) => x.visitsThisMonth ?? '—' },
    { title: t({ zh: '缺口', en: 'Gaps' }), render: (_, x) => <GapTags gaps={groupGaps(x)} /> },
  ];

  const towns = drill.gapsOnly ? report.towns.filter((x) => totalGaps(townGapCounts(x)) > 0) : report.towns;
  const villages = (town?.villages ?? []).filter((x) => !drill.gapsOnly || totalGaps(villageGapCounts(x)) > 0);
  const groups = (village?.groups ?? []).filter((x) => !drill.gapsOnly || groupGaps(x).length > 0);

  const crumbs = [
    { title: <a onClick={() => onDrill({ gapsOnly: drill.gapsOnly })}>{t({ zh: '全县', en: 'County' })}</a> },
    ...(town ? [{ title: <a onClick={() => onDrill({ town: town.id, gapsOnly: drill.gapsOnly })}>{town.name}</a> }] : []),
    ...(village ? [{ title: village.name }] : []),
  ];

  return (
    <>
      <Totals report={report} />
      <Card
        size="small"
        title={<Breadcrumb items={crumbs} />}
        extra={
          <label>
            <Switch size="small" checked={drill.gapsOnly} onChange={(gapsOnly) => onDrill({ ...drill, gapsOnly })} /> {t({ zh: '只看缺口', en: 'Gaps only' })}
          </label>
        }
      >
        {village ? (
          <Table<GroupCoverage>
            size="small"
            rowKey="id"
            columns={groupColumns}
            dataSource={groups}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            onRow={(x) => (groupGaps(x).length ? GAP_ROW : {})}
          />
        ) : town ? (
          <Table<VillageCoverage>
            size="small"
            rowKey="id"
            columns={villageColumns}
            dataSource={villages}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            onRow={(x) => ({
              ...(villageGaps(x).length ? GAP_ROW : {}),
              onClick: () => onDrill({ town: town.id, village: x.id, gapsOnly: drill.gapsOnly }),
            })}
          />
        ) : (
          <Table<TownCoverage>
            size="small"
            rowKey="id"
            columns={townColumns}
            dataSource={towns}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            onRow={(x) => ({ onClick: () => onDrill({ town: x.id, gapsOnly: drill.gapsOnly }) })}
          />
        )}
      </Card>
    </>
  );
}

function Totals({ report }: { report: CoverageReport }) {
  const { t } = useLanguage();
  const totals = report.totals;
  const items = useMemo(
    () => [
      {
        title: t({ zh: '小组包保率', en: 'Groups covered' }),
        value: percent(totals.groupCoverageRate),
        hint: `${totals.groupsCovered ?? '—'} / ${totals.groups ?? '—'}`,
      },
      {
        title: t({ zh: '村服务点运营率', en: 'Villages with a point' }),
        value: percent(totals.villageServiceRate),
        hint: `${totals.villagesWithOperatingServicePoint ?? '—'} / ${totals.villages ?? '—'}`,
      },
      {
        title: t({ zh: '社工持证率', en: 'Certification rate' }),
        value: percent(totals.certificationRate),
        hint: `${totals.certifiedWorkers ?? '—'} / ${totals.workers ?? '—'}`,
      },
      {
        title: t({ zh: '本月已走访小组', en: 'Groups visited this month' }),
        value: String(totals.visitsThisMonth?.groupsVisited ?? '—'),
        hint: `${t({ zh: '走访', en: 'visits' })} ${totals.visitsThisMonth?.visits ?? '—'}`,
      },
    ],
    [t, totals],
  );
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      {items.map((item) => (
        <Col key={item.title} xs={12} md={6}>
          <Card size="small">
            <Statistic title={item.title} value={item.value} />
            <div style={{ fontSize: 12, opacity: 0.65 }}>{item.hint}</div>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
