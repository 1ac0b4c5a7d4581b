import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', changeOrigin: true, ws: true },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', changeOrigin: true, ws: true },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
});
