import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to packages/protocol/lib/test/, four levels below the repository root.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Tier of each workspace package: a package may depend only on packages of a lower tier. */
const TIERS: Record<string, number> = {
  '@spyglass/protocol': 0,
  '@spyglass/store': 1,
  '@spyglass/charts': 2,
  '@spyglass/tables': 3,
  '@spyglass/sweeps': 3,
  '@spyglass/lineage': 3,
  '@spyglass/reports': 3,
  '@spyglass/widgets': 4,
  '@spyglass/labextension': 5,
  // The report runtime is an app like the extension: it bundles widgets' vega rendering into one script.
  '@spyglass/report': 5,
};
const DOM_FREE = ['packages/protocol', 'packages/store', 'packages/charts', 'packages/lineage'];
const JUPYTERLAB_ALLOWED = '@spyglass/labextension';

interface Workspace {
  dir: string;
  name: string;
  deps: string[];
}

function workspaces(): Workspace[] {
  const dirs = readdirSync(join(ROOT, 'packages')).map((d) => join('packages', d));
  dirs.push('labextension');
  return dirs
    .filter((d) => existsSync(join(ROOT, d, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
      const deps = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap(
        (k) => Object.keys(pkg[k] ?? {}),
      );
      return { dir, name: pkg.name as string, deps };
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

/** Bare module specifiers imported by a source file (static, dynamic, require and export-from). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const pattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g;
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

function violations(ws: Workspace, modules: string[]): string[] {
  const tier = TIERS[ws.name];
  return modules.flatMap((m) => {
    const name = packageOf(m);
    if (name.startsWith('@jupyterlab/') && ws.name !== JUPYTERLAB_ALLOWED)
      return [`${name} (only labextension)`];
    if (!name.startsWith('@spyglass/') || name === ws.name) return [];
    if (!(name in TIERS)) return [`${name} (not in the tier map of this test)`];
    return TIERS[name] < tier ? [] : [`${name} (tier ${TIERS[name]} is not below ${tier})`];
  });
}

test('every workspace package has a place in the layering', () => {
  for (const ws of workspaces()) assert.ok(ws.name in TIERS, `${ws.dir}: add ${ws.name} to TIERS`);
});

test('package.json dependencies point only down the layers, and only labextension depends on @jupyterlab', () => {
  for (const ws of workspaces()) {
    assert.deepEqual(violations(ws, ws.deps), [], `${ws.dir}/package.json depends upward or on JupyterLab`);
  }
});

test('source imports point only down the layers, and only labextension imports @jupyterlab', () => {
  for (const ws of workspaces()) {
    for (const file of [
      ...sourceFiles(join(ROOT, ws.dir, 'src')),
      ...sourceFiles(join(ROOT, ws.dir, 'test')),
    ]) {
      assert.deepEqual(
        violations(ws, importsOf(file)),
        [],
        `${relative(ROOT, file)} imports upward or JupyterLab`,
      );
    }
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
