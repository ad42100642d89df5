# syntax=docker/dockerfile:1
# The production image: the same steps CI runs (.ci/run: `npm ci`, `npm run build`, then
# scripts/smoke-dist.sh: `npm ci --omit=dev` beside dist/, `node dist/main.js`,
# `node dist/healthcheck.mjs`). Keep the two aligned. Not built on the development machine (it
# has no Docker engine); CI's smoke test is what proves these commands.

ARG NODE_IMAGE=node:20.20-bookworm-slim

# --- build: compile TypeScript and the console to dist/ -------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
COPY policies ./policies
# The web console (web/ → web/dist → dist/web/dist), served by the service at /.
COPY web ./web
RUN npm run build

# --- runtime: production dependencies and dist/ only, as a non-root user ----------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The embedded store, its lock and a generated JWT secret live here; mount a volume.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /ready: database reachable, migrations applied, projections not behind.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "dist/healthcheck.mjs"]
# node runs with no npm or shell in between, so the SIGTERM of `docker stop` reaches it directly.
CMD ["node", "dist/main.js"]
