/** A slot called with the signal's sender and the emitted value (the shape of a Lumino slot). */
export type Slot<T, U> = (sender: T, args: U) => void;

/** What a listener sees of a signal: connect and disconnect a slot, bound to `thisArg` when given. */
export interface ILiveSignal<T, U> {
  connect(slot: Slot<T, U>, thisArg?: unknown): boolean;
  disconnect(slot: Slot<T, U>, thisArg?: unknown): boolean;
}

interface Connection<T, U> {
  slot: Slot<T, U>;
  thisArg: unknown;
}

/**
 * A typed signal for the DOM-free live core, shaped like Lumino's so UI code connects to it the same way, without a
 * Lumino dependency in the store. A slot connected during an emit is called from the next emit on; one disconnected
 * during an emit is not called any more; a throwing slot is reported and the others still run.
 */
export class LiveSignal<T, U> implements ILiveSignal<T, U> {
  private connections: Connection<T, U>[] = [];

  constructor(private readonly sender: T) {}

  connect(slot: Slot<T, U>, thisArg?: unknown): boolean {
    if (this.find(slot, thisArg) >= 0) return false;
    this.connections = [...this.connections, { slot, thisArg }];
    return true;
  }

  disconnect(slot: Slot<T, U>, thisArg?: unknown): boolean {
    const index = this.find(slot, thisArg);
    if (index < 0) return false;
    this.connections = this.connections.filter((_, i) => i !== index);
    return true;
  }

  emit(args: U): void {
    // Connections are replaced, never mutated, so this loop walks the list as it was when the emit began.
    const current = this.connections;
    for (const connection of current) {
      if (!this.connections.includes(connection)) continue;
      try {
        connection.slot.call(connection.thisArg, this.sender, args);
      } catch (error) {
        console.error('Spyglass: a signal listener failed', error);
      }
    }
  }

  /** Disconnects every slot (the sender is disposed). */
  disconnectAll(): void {
    this.connections = [];
  }

  private find(slot: Slot<T, U>, thisArg: unknown): number {
    return this.connections.findIndex((c) => c.slot === slot && c.thisArg === thisArg);
  }
}
