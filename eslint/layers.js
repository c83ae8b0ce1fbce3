// The house's layer rule (README "Layout", ../shared/DESIGN.md) as an ESLint rule: which of our
// folders and which packages each folder may import. It resolves relative specifiers against the
// importing file, so `../../main.js` from electron/core/model/ is caught at any depth, which
// no-restricted-imports (it sees only the specifier text) cannot do.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

const ROOT = dirname(import.meta.dirname);
const NODE = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/**
 * Each layer: the folder it covers (the most specific match wins), the folders of ours it may not
 * reach (a folder inside `allow` stays allowed), the packages it may not import, and why.
 */
export const LAYERS = [
  {
    folder: 'shared',
    denyFolders: ['electron', 'renderer', 'test', 'bench', 'scripts'],
    denyNode: true,
    denyPackages: ['electron', 'onnxruntime-node', 'systeminformation', 'ws'],
    why: 'shared/ holds what crosses a boundary and runs on both sides',
  },
  {
    folder: 'electron/core',
    denyFolders: ['electron', 'renderer', 'test', 'bench', 'scripts'],
    allow: ['electron/core'],
    denyPackages: ['electron', 'onnxruntime-node'],
    why: 'electron/core is the engine the CLI, the server and the tests run under plain Node',
  },
  {
    folder: 'electron/core/runner',
    denyFolders: ['electron', 'renderer', 'test', 'bench', 'scripts'],
    allow: ['electron/core'],
    denyPackages: ['electron'],
    why: 'electron/core is the engine the CLI, the server and the tests run under plain Node',
  },
  {
    folder: 'electron',
    denyFolders: ['renderer', 'test', 'bench', 'scripts'],
    denyPackages: ['onnxruntime-node'],
    why: 'electron/ is the product; it reaches the UI only through shared/api.ts',
  },
  {
    folder: 'renderer',
    denyFolders: ['electron', 'test', 'bench', 'scripts'],
    denyNode: true,
    denyPackages: ['electron', 'onnxruntime-node', 'systeminformation', 'ws'],
    why: 'renderer/ runs in a sandboxed page and reaches the engine only through shared/api.ts',
  },
];

/** Where a package's own reason is clearer than the layer's. */
const PACKAGE_WHY = {
  'onnxruntime-node':
    'only the worker (electron/core/runner/) loads it, so a native crash takes down a worker, not Strata',
};

const inside = (path, folder) => path === folder || path.startsWith(folder + '/');
const toPosix = (p) => p.split(sep).join('/');

/** The layer a repository-relative path belongs to (most specific folder first). */
export function layerOf(file) {
  return [...LAYERS].sort((a, b) => b.folder.length - a.folder.length).find((l) => inside(file, l.folder));
}

/** Why `spec` imported from `file` (repository-relative) breaks the layer rule, or undefined. */
export function breach(file, spec) {
  const layer = layerOf(file);
  if (!layer) return undefined;
  if (spec.startsWith('.')) {
    const target = toPosix(relative(ROOT, join(ROOT, dirname(file), spec)));
    if ((layer.allow ?? []).some((f) => inside(target, f))) return undefined;
    const folder = (layer.denyFolders ?? []).find((f) => inside(target, f));
    const outside = layer.allow ? ` outside ${layer.allow.join('/, ')}/` : '';
    return folder && `${layer.folder}/ may not import from ${folder}/${outside} ("${spec}"): ${layer.why}.`;
  }
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  if (layer.denyNode && (spec.startsWith('node:') || NODE.has(pkg))) {
    return `${layer.folder}/ may not import the Node built-in "${spec}": ${layer.why}.`;
  }
  if ((layer.denyPackages ?? []).includes(pkg)) {
    return `${layer.folder}/ may not import "${spec}": ${PACKAGE_WHY[pkg] ?? layer.why}.`;
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only the layers below it (README "Layout").' },
    schema: [],
  },
  create(context) {
    const abs = context.physicalFilename;
    const file = isAbsolute(abs) ? toPosix(relative(ROOT, abs)) : toPosix(abs);
    if (!layerOf(file)) return {};
    const check = (node, source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      const message = breach(file, source.value);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) => check(node, node.moduleReference?.expression),
    };
  },
};

export default { rules: { layers: rule } };
