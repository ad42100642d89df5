import { Alert, Button } from 'antd';
import { useLanguage } from '../i18n/LanguageContext';

/** Optimistic concurrency (412): someone saved this record after it was read here. */
export function ConflictNotice({ onReload }: { onReload?: (() => void) | undefined }) {
  const { t } = useLanguage();
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      title={t({ zh: '有人修改了此记录，请刷新后重试', en: 'Someone changed this record; reload and try again' })}
      action={
        onReload && (
          <Button size="small" onClick={onReload}>
            {t({ zh: '刷新', en: 'Reload' })}
          </Button>
        )
      }
    />
  );
}
