import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Descriptions, List, Space, Switch, Tag, Typography } from 'antd';
import { api, newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel } from '../../api/vocabularies';
import { ProblemAlert } from '../../components/ProblemAlert';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { useSession } from '../../session/SessionContext';
import { ifMatchOf, metCount, SIX_ITEMS, type StandardItem, type Station } from './station-checklist';

/**
 * One station's 六有 checklist. The admin ticks an item met or unmet with the ETag read here
 * (If-Match): when someone changed the station first the service answers 412 and the notice says
 * so, with a reload, instead of overwriting their change.
 */
export function StationChecklist({ stationId }: { stationId: string }) {
  const { t } = useLanguage();
  const label = useLabel();
  const { session } = useSession();
  const canEdit = session?.role === 'admin';
  const queryClient = useQueryClient();
  const key = ['bureau', 'station', stationId];
  const query = useQuery({
    queryKey: key,
    queryFn: async () => {
      const result = await api.GET('/api/v1/stations/{id}', { params: { path: { id: stationId } } });
      return { station: unwrap(result), etag: result.response.headers.get('ETag') };
    },
  });
  const record = useMutation({
    mutationFn: async ({ item, met, idempotencyKey }: { item: StandardItem; met: boolean; idempotencyKey: string }) => {
      const current = query.data!;
      const result = await api.PUT('/api/v1/stations/{id}/standard/{item}', {
        params: { path: { id: stationId, item }, header: { 'if-match': ifMatchOf(current.station, current.etag) } },
        headers: { 'Idempotency-Key': idempotencyKey },
        body: { met },
      });
      return { station: unwrap(result), etag: result.response.headers.get('ETag') };
    },
    onSuccess: (next) => {
      queryClient.setQueryData(key, next);
      void queryClient.invalidateQueries({ queryKey: ['bureau', 'stations'] });
    },
  });
  const reload = () => {
    record.reset();
    void query.refetch();
  };

  return (
    <QueryState query={query}>
      {({ station }) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t({ zh: '名称', en: 'Name' })}>{station.name}</Descriptions.Item>
            <Descriptions.Item label={t({ zh: '类型', en: 'Kind' })}>{label('station_kind', station.kind)}</Descriptions.Item>
            <Descriptions.Item label={t({ zh: '状态', en: 'Status' })}>{label('station_status', station.status)}</Descriptions.Item>
            <Descriptions.Item label={t({ zh: '六有达标', en: 'Standard met' })}>
              <StandardProgress station={station} />
            </Descriptions.Item>
          </Descriptions>
          {record.error && <ProblemAlert error={record.error} onReload={reload} />}
          <List
            size="small"
            bordered
            dataSource={[...SIX_ITEMS]}
            renderItem={(item) => {
              const entry = station.checklist[item];
              return (
                <List.Item
                  data-item={item}
                  actions={[
                    <Switch
                      key="met"
                      aria-label={label('station_standard_item', item)}
                      checked={entry?.met === true}
                      disabled={!canEdit || record.isPending}
                      checkedChildren={t({ zh: '已达标', en: 'Met' })}
                      unCheckedChildren={t({ zh: '未达标', en: 'Unmet' })}
                      onChange={(met) => record.mutate({ item, met, idempotencyKey: newIdempotencyKey() })}
                    />,
                  ]}
                >
                  <List.Item.Meta
                    title={label('station_standard_item', item)}
                    description={entry?.met ? [entry.on, entry.note].filter(Boolean).join(' · ') || undefined : t({ zh: '尚未达标', en: 'Not met yet' })}
                  />
                </List.Item>
              );
            }}
          />
          {!canEdit && <Typography.Text type="secondary">{t({ zh: '仅系统管理员可修改六有项目', en: 'Only the admin records 六有 items' })}</Typography.Text>}
        </Space>
      )}
    </QueryState>
  );
}

/** "4 / 6" with a tag saying whether the station meets the whole standard. */
export function StandardProgress({ station }: { station: Station }) {
  const { t } = useLanguage();
  const met = metCount(station);
  return (
    <Space size={4}>
      <span>{met} / 6</span>
      {met === 6 ? (
        <Tag color="green">{t({ zh: '六有齐全', en: 'All six' })}</Tag>
      ) : (
        <Tag color="orange">{t({ zh: `缺 ${6 - met} 项`, en: `${6 - met} missing` })}</Tag>
      )}
    </Space>
  );
}
