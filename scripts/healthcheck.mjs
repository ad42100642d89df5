// Exit 0 when the service answers GET /ready with 200, else 1. Used by the image's HEALTHCHECK
// and by CI's smoke test of the build (node:20-slim has no curl or wget). No dependencies.
const port = process.env.PORT || '3000';
const host = process.env.HEALTHCHECK_HOST || '127.0.0.1';
try {
  const res = await fetch(`http://${host}:${port}/ready`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) console.error(`not ready: HTTP ${res.status}`);
  process.exit(res.ok ? 0 : 1);
} catch (error) {
  console.error(`not ready: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
