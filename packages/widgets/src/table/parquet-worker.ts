// The Parquet decode worker: parquet-wasm's browser build in a Web Worker, so decoding a large table does not
// block the page. Started by ParquetWorker (bundled as its own chunk, served same-origin next to the extension).
// It imports parquet-wasm only, so the chunk stays small: settings such as the batch size come with each request.
import initParquet, { readParquet } from 'parquet-wasm/esm';
import { ownBuffer, type ParquetWorkerReply, type ParquetWorkerRequest } from './parquet-worker-messages.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ParquetWorkerRequest>) => void) | null;
  postMessage(message: ParquetWorkerReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function init(wasmUrl: string): Promise<void> {
  try {
    await initParquet({ module_or_path: wasmUrl });
    scope.postMessage({ type: 'ready' });
  } catch (error) {
    scope.postMessage({ type: 'init_failed', message: errorText(error) });
  }
}

function decode({ id, parquet, batch_size, limit }: ParquetWorkerRequest & { type: 'decode' }): void {
  try {
    const ipc = readParquet(new Uint8Array(parquet), { batchSize: batch_size, limit }).intoIPCStream();
    const buffer = ownBuffer(ipc);
    scope.postMessage({ type: 'decoded', id, ipc: buffer }, [buffer]);
  } catch (error) {
    scope.postMessage({ type: 'decode_failed', id, message: errorText(error) });
  }
}

scope.onmessage = ({ data }) => {
  if (data.type === 'init') void init(data.wasm_url);
  else decode(data);
};
