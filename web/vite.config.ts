import react from '@vitejs/plugin-react';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// Two steps of the console's build for issue 17's first-screen budget (kept in this file: vite's
// native config loader, planned as the default, wants no extension-less local imports).

/** The placeholder web/src/app/next-screen.ts carries until the build names the chunks. */
const NEXT_SCREEN_PLACEHOLDER = '__NEXT_SCREEN_ASSETS__';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  code: string;
}

/**
 * Writes into the entry the paths of the chunks `module` needs beyond the first load (comma
 * separated, absolute), so the sign-in page can fetch them ahead with modulepreload. A chunk's
 * name is in its importer's code, so the entry's hash already changes whenever this list does.
 */
export function nextScreenPreload(module: string): Plugin {
  return {
    name: 'next-screen-preload',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk') as unknown as ChunkLike[];
      const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const closure = (chunk: ChunkLike | undefined, into = new Set<string>()): Set<string> => {
        if (!chunk || into.has(chunk.fileName)) return into;
        into.add(chunk.fileName);
        for (const imported of chunk.imports) closure(byFile.get(imported), into);
        return into;
      };
      const entry = chunks.find((chunk) => chunk.isEntry);
      const target = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(module));
      if (!entry || !target) return this.error(`next-screen-preload: no chunk for ${module}`);
      const first = closure(entry);
      const next = [...closure(target)].filter((file) => !first.has(file)).map((file) => `/${file}`);
      let written = 0;
      for (const chunk of chunks) {
        if (!chunk.code.includes(NEXT_SCREEN_PLACEHOLDER)) continue;
        chunk.code = chunk.code.replaceAll(NEXT_SCREEN_PLACEHOLDER, next.join(','));
        written++;
      }
      if (written === 0) this.error('next-screen-preload: the placeholder is not in the bundle (was it folded away?)');
    },
  };
}

/**
 * file.br and file.gz beside every script, stylesheet and page over 1 KB in the output, served by
 * @fastify/static's `preCompressed` (src/http/console.ts) to browsers that accept them: compressed
 * once at build time at the highest levels instead of on every request.
 */
export function precompress(): Plugin {
  let outDir = '';
  const brotli = promisify(brotliCompress);
  const gz = promisify(gzip);
  const files = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { withFileTypes: true, recursive: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      const targets = (await files(outDir)).filter((file) => /\.(js|css|html|svg|json)$/.test(file) && !file.includes(`${join('.vite', '')}`));
      await Promise.all(
        targets.map(async (file) => {
          const body = await readFile(file);
          if (body.length < 1024) return;
          const size = body.length;
          await writeFile(`${file}.br`, await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: size } }));
          await writeFile(`${file}.gz`, await gz(body, { level: 9 }));
        }),
      );
    },
  };
}

/**
 * The console's build (`npm run web:build`, part of `npm run build`): web/dist, served by the
 * service at `/`. In development `npm run web:dev` proxies /api to a service on SERVICE_URL.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), nextScreenPreload('/src/app/SignedInConsole.tsx'), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // .vite/manifest.json: which chunks each screen loads, for npm run web:budget.
    manifest: true,
    // Per-route chunks are the point; antd's core is one shared chunk the sign-in needs anyway.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Long-lived libraries in their own chunks so a console change does not re-download them.
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'charts';
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 3101,
    proxy: { '/api': process.env.SERVICE_URL ?? 'http://127.0.0.1:3100' },
  },
});
