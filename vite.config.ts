import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer bundle, served by Electron's custom protocol and by browser mode alike.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
