import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The HTML report's script: one self-contained bundle (CSS and assets inlined by html.ts), so an
// exported report opens offline with no request leaving the page.
export default defineConfig({
  plugins: [react()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist/report-page',
    emptyOutDir: true,
    cssCodeSplit: false,
    assetsInlineLimit: 100_000_000,
    chunkSizeWarningLimit: 3000,
    lib: {
      entry: 'renderer/report-page/main.tsx',
      formats: ['iife'],
      name: 'StrataReport',
      fileName: () => 'report.js',
      cssFileName: 'report',
    },
  },
});
