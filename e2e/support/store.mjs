// Reads the run store the way a user would, with the installed spyglass package in the project's .venv.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { venvBin } from './jupyter-lab.mjs';

/** run.json of every run of `project` under `storeRoot` (newest first). */
export function listRuns(storeRoot, project) {
  const dir = join(storeRoot, project);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((id) => join(dir, id, 'run.json'))
    .filter((path) => existsSync(path))
    .map((path) => JSON.parse(readFileSync(path, 'utf8')))
    .sort((a, b) => b.created_at - a.created_at);
}

/** The valid prefix of a run's framed log, read by the Python reader: {steps, torn}. */
export function readStoredHistory(runDir) {
  const script = [
    'import json, sys',
    'from spyglass.store.framed_log import read_framed_log',
    'from spyglass.store.arrow_codec import decode_payload',
    'log = read_framed_log(sys.argv[1] + "/history.sglog")',
    'steps = [s for f in log.frames for s in decode_payload(f.payload).column("_step").to_pylist()]',
    'print(json.dumps({"steps": steps, "torn": None if log.torn is None else log.torn.reason}))',
  ].join('\n');
  return JSON.parse(execFileSync(join(venvBin, 'python'), ['-c', script, runDir], { encoding: 'utf8' }));
}

/**
 * Runs Python source with the project's .venv as a plain script would (no kernel; SPYGLASS_DIR unset so `dir=` or
 * the working directory decides the store); returns its stdout. Used to generate stores before a test.
 */
export function runPython(source, args = [], { cwd } = {}) {
  return execFileSync(join(venvBin, 'python'), ['-c', source, ...args.map(String)], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SPYGLASS_DIR: '' },
    stdio: 'pipe',
  });
}

/**
 * Starts a Python script in the background, as a user's training script outside Jupyter would run. Returns the
 * child, a promise of its exit code and a reader of what it printed to stderr (for the failure message).
 */
export function startPython(args, { cwd } = {}) {
  const child = spawn(join(venvBin, 'python'), args.map(String), {
    cwd,
    env: { ...process.env, SPYGLASS_DIR: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, exited, stderr: () => stderr };
}
