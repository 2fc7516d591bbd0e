import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { RunHub } from '@spyglass/store';
import type { LiveCalls } from '@spyglass/widgets';
import { KernelChannel } from './KernelChannel.js';

type SessionContext = NotebookPanel['sessionContext'];

/**
 * Keeps one KernelChannel on every kernel connection of every watched session: on start, on kernel change,
 * and across restarts (JupyterLab disposes comms on restart; the new kernel process opens a new comm).
 */
export class KernelWatcher {
  private readonly channels = new Map<Kernel.IKernelConnection, KernelChannel>();
  private readonly sessions = new Set<SessionContext>();
  private disposed = false;

  constructor(
    private readonly hub: RunHub,
    private readonly calls?: LiveCalls,
  ) {}

  /** Watches a session for its whole life. */
  watch(session: SessionContext): void {
    if (this.disposed || this.sessions.has(session)) return;
    this.sessions.add(session);
    session.kernelChanged.connect(this.onKernelChanged, this);
    session.disposed.connect(this.onSessionDisposed, this);
    const kernel = session.session?.kernel;
    if (kernel) this.attach(kernel);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const session of this.sessions) this.unwatch(session);
    for (const kernel of [...this.channels.keys()]) this.detach(kernel);
  }

  private onKernelChanged(
    _session: SessionContext,
    change: { oldValue: Kernel.IKernelConnection | null; newValue: Kernel.IKernelConnection | null },
  ): void {
    if (change.oldValue) this.detach(change.oldValue);
    if (change.newValue) this.attach(change.newValue);
  }

  private onSessionDisposed(session: SessionContext): void {
    this.unwatch(session);
  }

  private unwatch(session: SessionContext): void {
    session.kernelChanged.disconnect(this.onKernelChanged, this);
    session.disposed.disconnect(this.onSessionDisposed, this);
    this.sessions.delete(session);
  }

  private attach(kernel: Kernel.IKernelConnection): void {
    // Only a connection that handles comms receives comm_open; the others would close the kernel's comm.
    if (this.channels.has(kernel) || kernel.isDisposed || !kernel.handleComms) return;
    this.channels.set(kernel, new KernelChannel(kernel, this.hub, this.calls));
    kernel.statusChanged.connect(this.onStatusChanged, this);
    kernel.disposed.connect(this.detach, this);
  }

  private detach(kernel: Kernel.IKernelConnection): void {
    const channel = this.channels.get(kernel);
    if (!channel) return;
    this.channels.delete(kernel);
    kernel.statusChanged.disconnect(this.onStatusChanged, this);
    kernel.disposed.disconnect(this.detach, this);
    channel.dispose();
  }

  private onStatusChanged(kernel: Kernel.IKernelConnection, status: Kernel.Status): void {
    const channel = this.channels.get(kernel);
    if (!channel) return;
    if (status === 'restarting' || status === 'autorestarting') channel.forgetComm();
    else if (status === 'starting') channel.registerTarget();
  }
}
