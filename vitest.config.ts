import { defineConfig } from 'vitest/config';

// Three projects: unit (pure, fast), integration (real onnxruntime on real models, worker processes),
// e2e (Chromium against browser mode; needs `npm run build` first).
export default defineConfig({
  test: {
    globalSetup: ['test/setup/isolate-home.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'integration',
          // test/fuzz/: the fuzz suite's CI slice (npm run fuzz runs more).
          include: ['test/integration/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Timing-sensitive tests share 2 cores; running files one at a time keeps them honest.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
