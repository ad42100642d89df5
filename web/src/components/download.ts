import { acceptLanguageOf, readLanguage } from '../i18n/language';
import { loadSession } from '../session/session';
import { toApiProblem } from '../api/problem';

/**
 * Downloads an export (CSV) that needs the bearer token: a bare <a href> would go without the
 * Authorization header, so fetch it, then hand the browser the body as a blob under its file name.
 * A refusal throws the server's problem+json as an ApiProblem, shown like any other error.
 */
export async function downloadWithToken(path: string, fallbackName: string): Promise<Blob> {
  const session = loadSession();
  const response = await fetch(path, {
    headers: {
      ...(session ? { Authorization: `Bearer ${session.token}` } : {}),
      'Accept-Language': acceptLanguageOf(readLanguage()),
    },
  });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw toApiProblem(body, response);
  }
  const blob = await response.blob();
  saveBlob(blob, fileNameOf(response.headers.get('content-disposition')) ?? fallbackName);
  return blob;
}

/** The file name from `Content-Disposition: attachment; filename="x.csv"`, when the server gave one. */
export function fileNameOf(disposition: string | null): string | undefined {
  const match = disposition ? /filename="?([^";]+)"?/.exec(disposition) : null;
  return match?.[1];
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the browser has started reading the blob.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
