import { defineConfig } from 'vite';

/**
 * The console: `vite build --config console/vite.config.ts` writes dist/console, which the service serves at
 * /console. No plugin: Vite transforms TSX itself (console/tsconfig.json says `jsx: react-jsx`).
 */
export default defineConfig({
  root: 'console',
  base: '/console/',
  build: { outDir: '../dist/console', emptyOutDir: true, sourcemap: false, assetsInlineLimit: 0 },
  // Every asset is bundled: the page works without any host but the service's own.
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/oauth': 'http://127.0.0.1:3000' } },
});
