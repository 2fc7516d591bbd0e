import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to packages/protocol/lib/test/, four levels below the repository root.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Layer of each workspace package (the package map in docs/architecture.md): a package may import only packages
 * of a lower layer, so two packages of one layer never import each other.
 */
const LAYERS: Record<string, number> = {
  '@spyglass/protocol': 0,
  // DOM-free logic over the protocol's shapes.
  '@spyglass/store': 1,
  '@spyglass/charts': 1,
  '@spyglass/lineage': 1,
  // The DOM: Lumino widgets and Vega rendering over the three above.
  '@spyglass/widgets': 2,
  // Apps, each bundling what it draws: the JupyterLab extension and the published report's runtime.
  '@spyglass/labextension': 3,
  '@spyglass/report': 3,
};
const DOM_FREE = ['packages/protocol', 'packages/store', 'packages/charts', 'packages/lineage'];
const JUPYTERLAB_ALLOWED = '@spyglass/labextension';
/** Packages that a package may import only through the entry points named here. */
const ENTRIES_ONLY: Record<string, Record<string, string[]>> = {
  // A report inlines its runtime: the rest of widgets would pull DuckDB-WASM and Lumino into every report.
  '@spyglass/report': { '@spyglass/widgets': ['@spyglass/widgets/vega-render'] },
};

export interface Workspace {
  dir: string;
  name: string;
  /** What its shipped code (src/) may import: dependencies and peerDependencies. */
  runtime: string[];
  /** What its tests and build scripts may import as well: devDependencies. */
  dev: string[];
}

function workspaces(): Workspace[] {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return (root.workspaces as string[]).map((dir) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    const keys = (...fields: string[]) => fields.flatMap((k) => Object.keys(pkg[k] ?? {}));
    return {
      dir,
      name: pkg.name as string,
      runtime: keys('dependencies', 'peerDependencies', 'optionalDependencies'),
      dev: keys('devDependencies'),
    };
  });
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory())
      return entry === 'node_modules' || entry === 'lib' ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

/** Build scripts and configs at a package's root (e.g. the report's webpack build). */
function rootScripts(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => /\.(js|mjs|cjs)$/.test(entry))
    .map((entry) => join(dir, entry));
}

/** Bare module specifiers imported by source text (static, type-only, dynamic, require and export-from). */
export function importsOf(text: string): string[] {
  const pattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"./#][^'"]*)['"]/g;
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

/**
 * What is wrong with a package importing (or depending on) these modules: a Spyglass package not below it, JupyterLab
 * outside the extension, or (given `declared`, i.e. for imports) a package its package.json does not name or an
 * entry point it may not use.
 */
export function violations(ws: Workspace, modules: string[], declared?: string[]): string[] {
  const layer = LAYERS[ws.name];
  const entries = ENTRIES_ONLY[ws.name] ?? {};
  const wrongEntries = [...new Set(modules)].flatMap((m) => {
    const allowed = entries[packageOf(m)];
    return declared && allowed && !allowed.includes(m) ? [`${m} (only ${allowed.join(', ')})`] : [];
  });
  return [...new Set(modules.map(packageOf))]
    .flatMap((name) => {
      if (isBuiltin(name) || name === ws.name) return [];
      const found: string[] = [];
      if (declared && !declared.includes(name))
        found.push(`${name} (not declared in ${ws.dir}/package.json)`);
      if (name.startsWith('@jupyterlab/') && ws.name !== JUPYTERLAB_ALLOWED)
        found.push(`${name} (only labextension)`);
      if (name.startsWith('@spyglass/')) {
        if (!(name in LAYERS)) found.push(`${name} (no such workspace package)`);
        else if (LAYERS[name] >= layer) found.push(`${name} (layer ${LAYERS[name]} is not below ${layer})`);
      }
      return found;
    })
    .concat(wrongEntries);
}

/** Every (file, problem) of a package's sources: src/ against its dependencies, tests and scripts against all. */
function sourceViolations(ws: Workspace): string[] {
  const dir = join(ROOT, ws.dir);
  const scopes: [string[], string[]][] = [
    [sourceFiles(join(dir, 'src')), ws.runtime],
    [
      [...sourceFiles(join(dir, 'test')), ...rootScripts(dir)],
      [...ws.runtime, ...ws.dev],
    ],
  ];
  return scopes.flatMap(([files, declared]) =>
    files.flatMap((file) =>
      violations(ws, importsOf(readFileSync(file, 'utf8')), declared).map(
        (v) => `${relative(ROOT, file)}: ${v}`,
      ),
    ),
  );
}

test('the layer map names exactly the workspace packages', () => {
  assert.deepEqual(
    workspaces()
      .map((ws) => ws.name)
      .sort(),
    Object.keys(LAYERS).sort(),
  );
});

test('package.json dependencies point only down the layers, and only labextension depends on @jupyterlab', () => {
  for (const ws of workspaces()) {
    assert.deepEqual(
      violations(ws, [...ws.runtime, ...ws.dev]),
      [],
      `${ws.dir}/package.json depends upward or on JupyterLab`,
    );
  }
});

test('every import is declared in its package.json and points only down the layers', () => {
  assert.deepEqual(workspaces().flatMap(sourceViolations), []);
});

test('the check itself: an upward, a sideways, an undeclared and a closed-entry import are each caught', () => {
  const charts: Workspace = {
    dir: 'packages/charts',
    name: '@spyglass/charts',
    runtime: ['@spyglass/protocol', '@spyglass/widgets', '@spyglass/store'],
    dev: [],
  };
  // Written through a quote variable so this file's own scan does not read these lines as its imports.
  const q = "'";
  const source = [
    `import { RunPanel } from ${q}@spyglass/widgets${q};`,
    `import type { SqlEngine } from ${q}@spyglass/store/node${q};`,
    `const d3 = await import(${q}d3-array${q});`,
    `import { MIME } from ${q}@spyglass/protocol${q};`,
    `import { readFileSync } from ${q}node:fs${q};`,
  ].join('\n');
  assert.deepEqual(violations(charts, importsOf(source), charts.runtime), [
    '@spyglass/widgets (layer 2 is not below 1)',
    '@spyglass/store (layer 1 is not below 1)',
    'd3-array (not declared in packages/charts/package.json)',
  ]);
  const report: Workspace = {
    dir: 'packages/report',
    name: '@spyglass/report',
    runtime: ['@spyglass/widgets'],
    dev: [],
  };
  assert.deepEqual(violations(report, ['@spyglass/widgets/vega-render'], report.runtime), []);
  assert.deepEqual(violations(report, ['@spyglass/widgets'], report.runtime), [
    '@spyglass/widgets (only @spyglass/widgets/vega-render)',
  ]);
});

test('every Spyglass dependency is a TypeScript project reference, so tsc --build compiles it first', () => {
  const dirOf = new Map(workspaces().map((ws) => [ws.name, resolve(ROOT, ws.dir)]));
  for (const ws of workspaces()) {
    const config = JSON.parse(readFileSync(join(ROOT, ws.dir, 'tsconfig.json'), 'utf8'));
    const referenced = (config.references ?? []).map((r: { path: string }) => resolve(ROOT, ws.dir, r.path));
    const missing = [...ws.runtime, ...ws.dev].filter(
      (name) => dirOf.has(name) && !referenced.includes(dirOf.get(name)),
    );
    assert.deepEqual(missing, [], `${ws.dir}/tsconfig.json references`);
  }
});

/** The effective compilerOptions.lib, following "extends" chains. */
function tsconfigLib(path: string): string[] {
  const config = JSON.parse(readFileSync(path, 'utf8'));
  if (config.compilerOptions?.lib) return config.compilerOptions.lib;
  return config.extends ? tsconfigLib(resolve(dirname(path), config.extends)) : [];
}

test('the core packages compile without the DOM lib, so a stray `document` fails the type check', () => {
  for (const dir of DOM_FREE) {
    const lib = tsconfigLib(join(ROOT, dir, 'tsconfig.json'));
    assert.ok(lib.length > 0, `${dir}: tsconfig sets no lib, so TypeScript would add DOM by default`);
    assert.deepEqual(
      lib.filter((l) => /^dom/i.test(l)),
      [],
      `${dir}/tsconfig.json`,
    );
  }
});
