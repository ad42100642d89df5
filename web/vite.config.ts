import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console's build (`npm run web:build`, part of `npm run build`): web/dist, served by the
 * service at `/`. In development `npm run web:dev` proxies /api to a service on SERVICE_URL.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
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
