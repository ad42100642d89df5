#!/usr/bin/env bash
# CI smoke test of the production build, the same steps as the Dockerfile's runtime stage:
# dist/ plus `npm ci --omit=dev` in a clean directory, `node dist/main.js` with a DATA_DIR that
# does not exist yet and a JWT_SECRET, `node dist/healthcheck.mjs` until /ready answers 200,
# then SIGTERM. Run `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/main.js ] || { echo "dist/main.js missing: run npm run build first" >&2; exit 1; }

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/app"
cp package.json package-lock.json "$work/app/"
cp -r dist "$work/app/dist"
(cd "$work/app" && npm ci --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error)

# A free port chosen by the kernel (never 3000 on a shared machine).
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export PORT="$port" HOST=127.0.0.1 DATA_DIR="$work/data/not-yet-created" LOG_LEVEL=warn
export JWT_SECRET="smoke-test-secret-0123456789-abcdefghij"
unset DATABASE_URL
(cd "$work/app" && exec node dist/main.js) >"$work/service.log" 2>&1 &
pid=$!

for _ in $(seq 1 90); do
  if node "$work/app/dist/healthcheck.mjs" 2>/dev/null; then
    echo "smoke: node dist/main.js is ready on port $port (pid $pid)"
    kill -TERM "$pid"
    wait "$pid" && status=0 || status=$?
    pid=""
    [ "$status" -eq 0 ] || { echo "smoke: service exited with $status on SIGTERM" >&2; cat "$work/service.log" >&2; exit 1; }
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
echo "smoke: node dist/main.js never became ready" >&2
cat "$work/service.log" >&2
exit 1
