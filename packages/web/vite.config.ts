import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // The proxy keeps the browser's Host header: the server accepts the GraphQL WebSocket from a
  // page whose Origin is the host it was sent to (here the dev server's own).
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/api': { target: 'http://127.0.0.1:4000' },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/api': { target: 'http://127.0.0.1:4000' },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
});
