import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { LanguageProvider } from '../i18n/LanguageContext';
import type { Language } from '../i18n/language';
import type { Vocabulary } from '../api/vocabularies';

const VOCABULARIES: Vocabulary[] = [
  {
    name: 'visit_kind',
    zh: '走访类型',
    en: 'kind of visit',
    terms: [
      { code: 'routine', zh: '日常走访', en: 'routine visit' },
      { code: 'care', zh: '关爱走访', en: 'care visit' },
    ],
  },
  {
    name: 'case_status',
    zh: '案件状态',
    en: 'case status',
    terms: [
      { code: 'applied', zh: '已申请', en: 'applied' },
      { code: 'accepted', zh: '已受理', en: 'accepted' },
      { code: 'investigating', zh: '调查核实中', en: 'investigating' },
      { code: 'emergency_granted', zh: '急难先行救助', en: 'emergency aid granted' },
      { code: 'granted', zh: '已批准', en: 'granted' },
      { code: 'closed', zh: '已结案', en: 'closed' },
    ],
  },
];

/** A component as the console renders it: query client (no retries), language, antd locale, router. */
export function renderInConsole(ui: ReactElement, options: { language?: Language; queryClient?: QueryClient; path?: string } = {}) {
  const queryClient = options.queryClient ?? new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  // The vocabularies the console asks once per session, as the API gives them (no server in these tests).
  queryClient.setQueryData(['vocabularies'], VOCABULARIES);
  return {
    queryClient,
    ...render(
      <QueryClientProvider client={queryClient}>
        <LanguageProvider initial={options.language ?? 'zh'}>
          <ConfigProvider locale={zhCN}>
            <MemoryRouter initialEntries={[options.path ?? '/']}>{ui}</MemoryRouter>
          </ConfigProvider>
        </LanguageProvider>
      </QueryClientProvider>,
    ),
  };
}
