import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useLanguage } from '../i18n/LanguageContext';

/** antd in the UI language and the console's colour: around every screen built with antd. */
export function Localized({ children }: { children: ReactNode }) {
  const { language } = useLanguage();
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1f6f5c' } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
