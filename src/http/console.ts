import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The web console (web/, issue 17) at `/`: its built files, and index.html for any other GET of a
 * path that is not the service's own, so the console's routes (/worker/overdue) load on reload.
 * The API, the docs, health, readiness and metrics keep their own answers and their 404s stay
 * problem+json.
 */
const SERVICE_PREFIXES = ['/api/', '/api', '/docs', '/health', '/ready', '/metrics'];

const isServicePath = (url: string): boolean => {
  const path = url.split('?')[0] ?? url;
  return SERVICE_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
};

/** web/dist from src/http (checkout) or dist/src/http (build, where finish-build copies it to dist/web/dist). */
export const defaultConsoleDir = (): string => fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function registerConsole(app: FastifyInstance, dir: string = defaultConsoleDir()): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.log.warn('web console not built (npm run web:build): / answers 404');
    return false;
  }
  await app.register(async (scope) => {
    // The console's files are public like /docs (the browser asks for them before anyone signs in)
    // and stay out of the OpenAPI document.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    // wildcard: false serves the files present at start (the build does not change while the
    // service runs) and leaves `/*` to the fallback below.
    await scope.register(fastifyStatic, {
      root: dir,
      wildcard: false,
      index: false,
      // file.br / file.gz written by the build (web/build-plugins.ts) go to browsers that accept them.
      preCompressed: true,
      // Hashed names under assets/ never change content: cached for a year; the rest revalidated.
      setHeaders: (reply, path) => {
        reply.header('cache-control', path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    scope.get('/', (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    scope.get('/*', (request, reply) => {
      if (isServicePath(request.url)) return reply.callNotFound();
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  });
  return true;
}
