import { Alert } from 'antd';
import { ApiProblem, toApiProblem } from '../api/problem';
import { useLanguage } from '../i18n/LanguageContext';
import { ConflictNotice } from './ConflictNotice';

/**
 * A refusal as the server worded it (title and detail in the UI language, field errors listed),
 * with the request id to quote. A 412 gets the plain-language conflict explainer instead.
 */
export function ProblemAlert({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useLanguage();
  const problem = error instanceof ApiProblem ? error : toApiProblem(error);
  if (problem.isConflict) return <ConflictNotice onReload={onReload} />;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={problem.title}
      description={
        <>
          {problem.detail && <div>{problem.detail}</div>}
          {problem.errors.length > 0 && (
            <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
              {problem.errors.map((e) => (
                <li key={e.path + e.message}>{e.message}</li>
              ))}
            </ul>
          )}
          {problem.requestId && (
            <div style={{ fontSize: 12, opacity: 0.7 }}>
              {t({ zh: '请求 ID', en: 'Request id' })}: {problem.requestId}
            </div>
          )}
        </>
      }
    />
  );
}
