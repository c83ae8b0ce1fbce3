// ESLint: typescript-eslint's recommended rules (type-aware only for the promise rules, where a
// missed await is a real bug), React hooks rules for the renderer, and the layer rule of README
// "Layout" (eslint/layers.js). `npm run lint`; `npm test` runs it before the build.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  {
    ignores: ['dist/', 'out/', 'node_modules/', 'test-results/', 'bench/results/', '.scratch/', 'test/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { strata: layers },
    rules: {
      'strata/layers': 'error',
      // Unused names are the compiler's job (noUnusedLocals/noUnusedParameters); `_name` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts'],
    languageOptions: {
      parserOptions: {
        // The Vite configs belong to no tsconfig (they are Vite's, not the product's or the tests').
        projectService: { allowDefaultProject: ['vite.config.ts', 'vite.report.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    // Which front door the page runs in is decided once, in renderer/api/platform.ts, from one signal.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/api/platform.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='window'][property.name='strata']",
          message: 'Ask renderer/api/platform.ts (desktopBridge, isDesktopApp): it alone reads the preload bridge.',
        },
        {
          selector: "BinaryExpression[operator=/^[!=]==?$/] > Literal[value='electron']",
          message: 'Ask renderer/api/platform.ts (isDesktopApp) which front door this is, not app:info.mode.',
        },
      ],
    },
  },
  {
    // Raw Electron IPC stays in the two files that own the typed contract (STYLE.md, item 2).
    files: ['electron/**/*.{ts,cts}'],
    ignores: ['electron/ipc.ts', 'electron/preload.cts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Raw IPC lives in electron/ipc.ts and electron/preload.cts, which type it by shared/api.ts.',
            },
          ],
        },
      ],
    },
  },
);
