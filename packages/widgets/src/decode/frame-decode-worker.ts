// The frame decode worker: turns history and system frames into DuckDB inserts (checkArrowStream, then
// apache-arrow, then the grouped Arrow streams) off the page's thread. Started by FrameDecodeWorker, which stops
// it when a decode runs past its time budget; it imports the ingest planner only, so its chunk stays small.
import { DamagedFrameError, IngestError } from '@spyglass/store/errors';
import { planIngest } from '@spyglass/store/ingest-plan';
import { ownBuffer } from '../table/parquet-worker-messages.js';
import type { FrameDecodeReply, FrameDecodeRequest } from './frame-decode-messages.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<FrameDecodeRequest>) => void) | null;
  postMessage(message: FrameDecodeReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

function plan({ id, run_id, index_column, frames }: FrameDecodeRequest): void {
  try {
    const result = planIngest(run_id, frames, index_column);
    const transfer: ArrayBuffer[] = [];
    for (const group of result.groups) {
      const buffer = ownBuffer(group.ipc);
      group.ipc = new Uint8Array(buffer);
      transfer.push(buffer);
    }
    scope.postMessage({ type: 'planned', id, plan: result }, transfer);
  } catch (error) {
    scope.postMessage({
      type: 'plan_failed',
      id,
      seq: error instanceof IngestError ? error.seq : null,
      damaged: error instanceof DamagedFrameError,
      message: error instanceof DamagedFrameError ? error.reason : String(error),
    });
  }
}

scope.onmessage = ({ data }) => plan(data);
scope.postMessage({ type: 'ready' });
