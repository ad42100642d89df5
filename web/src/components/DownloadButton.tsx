import { Button, Space } from 'antd';
import { useState, type ReactNode } from 'react';
import { downloadWithToken } from './download';
import { ProblemAlert } from './ProblemAlert';

/** A button that downloads an export with the signed-in user's token (see download.ts); a refusal shows below it. */
export function DownloadButton({ path, fileName, children }: { path: string; fileName: string; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadWithToken(path, fileName);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical">
      <Button loading={busy} onClick={() => void start()}>
        {children}
      </Button>
      {error ? <ProblemAlert error={error} /> : null}
    </Space>
  );
}
