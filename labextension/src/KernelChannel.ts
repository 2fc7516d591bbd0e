import type { Kernel, KernelMessage } from '@jupyterlab/services';
import {
  COMM_TARGET,
  type FrontendMessage,
  PROTOCOL_MAJOR,
  PROTOCOL_MINOR,
  ProtocolVersionError,
  parseMessage,
  type KernelMessage as SpyglassKernelMessage,
} from '@spyglass/protocol';
import { describeError, messages } from '@spyglass/widgets';
import type { RunHub } from './RunHub.js';
import { EXTENSION_VERSION } from './version.js';

/** A replay not answered within this time may be asked for again (the kernel may have restarted meanwhile). */
const REPLAY_RETRY_MS = 5000;

function toBytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

/**
 * The Spyglass comm of one kernel connection: registers the comm target (the kernel opens the comm on its first
 * run), reattaches to an existing comm after a page reload, feeds frames into the hub, and asks for replays
 * when frames are missing.
 */
export class KernelChannel {
  private comm: Kernel.IComm | null = null;
  private readonly pendingReplays = new Map<string, { afterSeq: number; at: number }>();
  private disposed = false;

  constructor(
    private readonly kernel: Kernel.IKernelConnection,
    private readonly hub: RunHub,
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
    this.pendingReplays.clear();
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
        for (const run of message.runs) {
          this.hub.updateRun(run);
          this.requestReplay(run.run_id, this.hub.lastSeq(run.run_id), true);
        }
        break;
      case 'run_updated':
        this.hub.updateRun(message.run);
        break;
      case 'frames':
        message.chunks.forEach((chunk, i) => {
          try {
            const gapAfter = this.hub.offerChunk(chunk, toBytes(rawBuffers[i]));
            if (gapAfter === null) this.pendingReplays.delete(chunk.run_id);
            else this.requestReplay(chunk.run_id, gapAfter, false);
          } catch (error) {
            console.warn('Spyglass: dropped a malformed frame chunk; asking for a replay', error);
            this.requestReplay(chunk.run_id, this.hub.lastSeq(chunk.run_id), false);
          }
        });
        break;
      case 'error':
        console.warn(`Spyglass kernel error (${message.code}): ${message.message}`);
        break;
    }
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

  /**
   * Asks the kernel for every frame after `afterSeq`. An outstanding replay already covers later gaps (its
   * answer holds everything after its seq), so it is not repeated until it had time to arrive.
   */
  private requestReplay(runId: string, afterSeq: number, force: boolean): void {
    const pending = this.pendingReplays.get(runId);
    const now = performance.now();
    if (!force && pending && now - pending.at < REPLAY_RETRY_MS) return;
    this.pendingReplays.set(runId, { afterSeq, at: now });
    this.send({ kind: 'replay', request_id: crypto.randomUUID(), run_id: runId, after_seq: afterSeq });
  }

  private send(message: FrontendMessage): void {
    if (!this.comm || this.comm.isDisposed) return;
    this.comm.send(message as unknown as Parameters<Kernel.IComm['send']>[0]);
  }
}
