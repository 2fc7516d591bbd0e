import type { Kernel, KernelMessage } from '@jupyterlab/services';
import {
  COMM_TARGET,
  type FrontendMessage,
  PROTOCOL_MAJOR,
  PROTOCOL_MINOR,
  ProtocolVersionError,
  parseMessage,
  type KernelMessage as SpyglassKernelMessage,
  type Stream,
} from '@spyglass/protocol';
import type { ReplayChannel, RunHub } from '@spyglass/store';
import { describeError, type LiveCalls, messages } from '@spyglass/widgets';
import { EXTENSION_VERSION } from './version.js';

/** Replay request ids remembered to match answers to runs; old ones only matter for answers long overdue. */
const MAX_REMEMBERED_REPLAYS = 100;

function toBytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

/**
 * The Spyglass comm of one kernel connection: registers the comm target (the kernel opens the comm on its first
 * run), reattaches to an existing comm after a page reload, feeds frames into the hub, and sends the replays the
 * hub orders (which it coordinates with store reads, so history is not fetched twice).
 */
export class KernelChannel implements ReplayChannel {
  private comm: Kernel.IComm | null = null;
  /** request_id → run and stream of the replays sent on this comm. */
  private readonly replays = new Map<string, { runId: string; stream: Stream }>();
  /** Whether the kernel speaks protocol 1.1 or later (streams); learnt from its hello. */
  private kernelHasStreams = false;
  private disposed = false;

  constructor(
    private readonly kernel: Kernel.IKernelConnection,
    private readonly hub: RunHub,
    /** Where `calls` messages go (protocol 1.3): the trace panels of the page listen to it. */
    private readonly calls?: LiveCalls,
  ) {
    this.registerTarget();
    void this.reattach();
  }

  /** Registers the target again; JupyterLab keeps targets across restarts, but this is cheap and idempotent. */
  registerTarget(): void {
    this.kernel.registerCommTarget(COMM_TARGET, this.onCommOpen);
  }

  /** The kernel restarted: JupyterLab has disposed its comms; the new process opens a fresh one. */
  forgetComm(): void {
    this.comm = null;
    this.replays.clear();
    this.hub.dropChannel(this);
  }

  /** Asks the kernel for every frame of the run's stream after `afterSeq` (the hub decides when). */
  sendReplay(runId: string, afterSeq: number, stream: Stream): void {
    // A 1.0 kernel would ignore `stream` and answer with history frames; it has no system stream to replay.
    if (stream !== 'history' && !this.kernelHasStreams) return;
    const requestId = crypto.randomUUID();
    this.replays.set(requestId, { runId, stream });
    if (this.replays.size > MAX_REMEMBERED_REPLAYS)
      this.replays.delete(this.replays.keys().next().value as string);
    console.debug(
      `Spyglass: asking the kernel to replay the ${stream} of run ${runId} after seq ${afterSeq}`,
    );
    const request = { kind: 'replay', request_id: requestId, run_id: runId, after_seq: afterSeq } as const;
    // History replays stay 1.0-shaped, so older kernels understand them.
    this.send(stream === 'history' ? request : { ...request, stream });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.kernel.isDisposed) this.kernel.removeCommTarget(COMM_TARGET, this.onCommOpen);
    // Dispose only the frontend side: closing the comm would tell the kernel to stop sending to other pages.
    this.comm?.dispose();
    this.comm = null;
    this.hub.dropChannel(this);
  }

  private readonly onCommOpen = (comm: Kernel.IComm, msg: KernelMessage.ICommOpenMsg): void => {
    this.bind(comm);
    this.handle(msg.content.data, msg.buffers ?? []);
  };

  /** After a page reload the kernel's comm still exists; find it and talk to it again. */
  private async reattach(): Promise<void> {
    let reply: KernelMessage.ICommInfoReplyMsg;
    try {
      reply = await this.kernel.requestCommInfo({ target_name: COMM_TARGET });
    } catch (error) {
      // A kernel that is starting or gone answers nothing; the comm target still catches a later comm_open.
      console.debug('Spyglass: comm_info_request failed', error);
      return;
    }
    if (this.disposed || reply.content.status !== 'ok') return;
    for (const [commId, info] of Object.entries(reply.content.comms)) {
      if (info.target_name !== COMM_TARGET || this.kernel.hasComm(commId)) continue;
      this.bind(this.kernel.createComm(COMM_TARGET, commId));
      this.send({
        kind: 'hello',
        protocol: { major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR },
        package_version: EXTENSION_VERSION,
        runs: [],
      });
      return;
    }
  }

  private bind(comm: Kernel.IComm): void {
    if (this.comm && this.comm !== comm) this.comm.dispose();
    this.comm = comm;
    comm.onMsg = (msg) => this.handle(msg.content.data, msg.buffers ?? []);
    comm.onClose = () => {
      if (this.comm === comm) this.forgetComm();
    };
  }

  private handle(data: unknown, rawBuffers: (ArrayBuffer | ArrayBufferView)[]): void {
    let message: SpyglassKernelMessage;
    try {
      message = parseMessage(data, rawBuffers.length) as SpyglassKernelMessage;
    } catch (error) {
      this.refuse(error);
      return;
    }
    switch (message.kind) {
      case 'hello':
        this.kernelHasStreams =
          message.protocol.major > 1 || (message.protocol.major === 1 && message.protocol.minor >= 1);
        // Frames this kernel sent before its comm was heard are lost to this page: catch each run up.
        for (const run of message.runs) {
          this.hub.updateKernelRun(run);
          this.hub.requestReplay(run.run_id, this, 'announced', 'history');
          if (this.kernelHasStreams) this.hub.requestReplay(run.run_id, this, 'announced', 'system');
        }
        break;
      case 'run_updated':
        this.hub.updateKernelRun(message.run);
        this.hub.carry(message.run.run_id, this);
        this.hub.markMetadataStale(message.run.run_id);
        break;
      case 'frames':
        message.chunks.forEach((chunk, i) => {
          try {
            this.hub.offerChunk(chunk, toBytes(rawBuffers[i]), this);
          } catch (error) {
            console.warn('Spyglass: dropped a malformed frame chunk; asking for a replay', error);
            this.hub.requestReplay(chunk.run_id, this, 'gap', chunk.stream ?? 'history');
          }
        });
        this.answered(message.reply_to);
        break;
      case 'calls':
        this.calls?.offer(message, rawBuffers.map(toBytes));
        break;
      case 'error':
        console.warn(`Spyglass kernel error (${message.code}): ${message.message}`);
        if (message.code === 'unknown_run') {
          const replay = message.reply_to === null ? undefined : this.replays.get(message.reply_to);
          if (replay !== undefined) this.hub.replayRefused(replay.runId, this);
        }
        break;
    }
  }

  /** A frames message answering one of this channel's replays (possibly one of several parts of the answer). */
  private answered(replyTo: string | null): void {
    const replay = replyTo === null ? undefined : this.replays.get(replyTo);
    if (replay !== undefined) this.hub.replayAnswered(replay.runId, replay.stream);
  }

  private refuse(error: unknown): void {
    if (error instanceof ProtocolVersionError) {
      const text = messages.newerProtocol(
        `${error.theirs.major}.${error.theirs.minor}`,
        `${PROTOCOL_MAJOR}.x`,
      );
      console.warn(`Spyglass: ${text}`);
      this.hub.refuseWaitingRuns(text);
      this.send({ kind: 'error', code: 'protocol_major', message: error.message, reply_to: null });
      return;
    }
    console.warn('Spyglass: ignored a malformed kernel message', error);
    this.send({ kind: 'error', code: 'bad_message', message: describeError(error), reply_to: null });
  }

  private send(message: FrontendMessage): void {
    if (!this.comm || this.comm.isDisposed) return;
    this.comm.send(message as unknown as Parameters<Kernel.IComm['send']>[0]);
  }
}
