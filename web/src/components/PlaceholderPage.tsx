import { Result } from 'antd';
import { useLanguage } from '../i18n/LanguageContext';

/** A screen another change will build: says so instead of a blank page. */
export function PlaceholderPage({ title }: { title: { zh: string; en: string } }) {
  const { t } = useLanguage();
  return <Result status="info" title={t(title)} subTitle={t({ zh: '建设中', en: 'Under construction' })} />;
}
