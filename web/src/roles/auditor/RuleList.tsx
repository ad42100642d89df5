import { List, Tag, Typography } from 'antd';
import { useLanguage } from '../../i18n/LanguageContext';
import { orderRules, type DecisionRule } from './decision-model';

/** Every rule a decision ran, with the reason in the UI language: failed rules first, marked 未通过. */
export function RuleList({ rules }: { rules: readonly DecisionRule[] }) {
  const { t } = useLanguage();
  return (
    <List
      size="small"
      dataSource={orderRules(rules)}
      locale={{ emptyText: t({ zh: '此决定没有规则记录', en: 'No rules recorded' }) }}
      renderItem={(rule) => (
        <List.Item data-testid="rule" data-rule={rule.id} data-passed={rule.passed ? 'true' : 'false'}>
          <List.Item.Meta
            title={
              <>
                <Tag color={rule.passed ? 'green' : 'red'}>{rule.passed ? t({ zh: '通过', en: 'Passed' }) : t({ zh: '未通过', en: 'Failed' })}</Tag>
                <Typography.Text code>{rule.id}</Typography.Text>
              </>
            }
            description={t(rule.reason)}
          />
        </List.Item>
      )}
    />
  );
}
