import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The config lives in web/ but `npm run build:web` runs from the repository root,
// so the root is pinned here: the app builds from web/ into web/dist.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.SANXIANG_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // React and the router change rarely: one long-cached chunk. antd stays split by the
        // pages that use it, so the login screen does not download the table or the date picker.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development: the API runs on the platform server.
    proxy: {
      '/api': apiTarget,
      '/verify': apiTarget,
    },
  },
});
