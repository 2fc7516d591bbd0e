// Starts the tests' OpenAI-compatible model server (`transformers serve` over a tiny model made at start, nothing
// downloaded) for an end-to-end test, through kernel-bridge/tests/llm_server.py's script mode. Needs
// .venv-integrations (scripts/setup-integrations.sh).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptServer } from './script-server.mjs';

/**
 * Starts the server; returns {baseUrl (ends in /v1), model (its one model's name), stop()}. With
 * SPYGLASS_TEST_LLM_BASE_URL and SPYGLASS_TEST_LLM_MODEL set, uses that running server instead (one started by
 * `python kernel-bridge/tests/llm_server.py DIR`, e.g. to rerun a test without waiting for torch to load).
 */
export async function startLlmServer() {
  const { SPYGLASS_TEST_LLM_BASE_URL: baseUrl, SPYGLASS_TEST_LLM_MODEL: model } = process.env;
  if (baseUrl && model) return { baseUrl, model, stop: async () => {} };
  const workdir = mkdtempSync(join(tmpdir(), 'spyglass-llm-'));
  const server = await startScriptServer('llm_server.py', [workdir], {
    what: 'the test LLM server',
    // Importing torch and transformers takes seconds on an idle machine and minutes on a loaded one.
    startTimeoutMs: 330_000,
    stopTimeoutMs: 30_000,
  });
  return { baseUrl: server.answer.base_url, model: server.answer.model, stop: () => server.stop() };
}
