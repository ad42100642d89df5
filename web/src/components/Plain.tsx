import { ApiProblem, toApiProblem } from '../api/problem';
import type { Language } from '../i18n/language';
import { useLanguage } from '../i18n/LanguageContext';
import './plain.css';

/**
 * The few pieces the console shows before anyone signs in (the sign-in page, the wait for the
 * signed-in screens), in plain HTML and one small stylesheet instead of antd: the first screen
 * then needs none of antd's JavaScript, which was most of its load (issue 17's 2-second budget).
 * They look like their antd counterparts (ProblemAlert, Loading, the language switch).
 */
export function PlainLoading() {
  const { t } = useLanguage();
  return (
    <div className="plain-loading" aria-busy="true">
      <span className="plain-spinner" aria-hidden="true" />
      {t({ zh: '加载中…', en: 'Loading…' })}
    </div>
  );
}

/** A refusal as the server worded it: title, detail, field errors, the request id to quote. */
export function PlainProblem({ error }: { error: unknown }) {
  const { t } = useLanguage();
  const problem = error instanceof ApiProblem ? error : toApiProblem(error);
  return (
    <PlainAlert type="error" title={problem.title}>
      {problem.detail && <div>{problem.detail}</div>}
      {problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.path + e.message}>{e.message}</li>
          ))}
        </ul>
      )}
      {problem.requestId && (
        <div className="plain-alert-note">
          {t({ zh: '请求 ID', en: 'Request id' })}: {problem.requestId}
        </div>
      )}
    </PlainAlert>
  );
}

export function PlainAlert({ type, title, children }: { type: 'error' | 'warning'; title: string; children?: React.ReactNode }) {
  return (
    <div role="alert" className={`plain-alert plain-alert-${type}`}>
      <div className="plain-alert-title">{title}</div>
      {children && <div className="plain-alert-body">{children}</div>}
    </div>
  );
}

/** 中 | EN, as the signed-in header's segmented switch. */
export function PlainLanguageSwitch() {
  const { language, setLanguage } = useLanguage();
  const option = (value: Language, label: string) => (
    <button type="button" className="plain-segment" aria-pressed={language === value} onClick={() => setLanguage(value)}>
      {label}
    </button>
  );
  return (
    <div className="plain-segmented" role="group" aria-label="语言 / Language">
      {option('zh', '中')}
      {option('en', 'EN')}
    </div>
  );
}
