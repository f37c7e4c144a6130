import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the dashboard to apps/dashboard/dist, which the api serves at `/`. `npm run dev:dashboard`
 * proxies the API and the /live socket to a running Hallwatch on localhost:3000.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [preact()],
  resolve: {
    // The dashboard shares the pure domain definitions (bucket alignment, reading shapes) with the server.
    alias: { '@hallwatch/domain': here('../../libs/domain/src/index.ts') },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/health': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
