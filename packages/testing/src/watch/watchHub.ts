import type { ObjectStore } from '../store/objectStore.js';
import type { WatchStream } from './watchStream.js';

interface Waiter {
  readonly count: number;
  readonly resource: string | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The open watches: fans every store event out to them (each event's line is built once and
 * shared), and lets tests wait until a number of watches are open.
 */
export class WatchHub {
  private readonly streams = new Set<WatchStream>();
  private waiters: Waiter[] = [];
  private readonly unsubscribe: () => void;

  constructor(store: ObjectStore) {
    this.unsubscribe = store.subscribe((event) => {
      for (const stream of this.streams) stream.deliver(event);
    });
  }

  /** Open watches, optionally only those on `resource` (plural or plural.group). */
  count(resource?: string): number {
    if (resource === undefined) return this.streams.size;
    let count = 0;
    for (const stream of this.streams) if (matchesResource(stream, resource)) count++;
    return count;
  }

  add(stream: WatchStream): void {
    this.streams.add(stream);
    this.notify();
  }

  remove(stream: WatchStream): void {
    if (this.streams.delete(stream)) this.notify();
  }

  all(): WatchStream[] {
    return [...this.streams];
  }

  /** Resolves once at least `count` watches (on `resource`, if given) are open. */
  waitFor(count: number, resource?: string): Promise<void> {
    if (this.count(resource) >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ count, resource, resolve, reject });
    });
  }

  /** Rejects pending waits and stops listening to the store. */
  close(): void {
    for (const waiter of this.waiters) waiter.reject(new Error('test apiserver closed'));
    this.waiters = [];
    this.unsubscribe();
  }

  private notify(): void {
    if (this.waiters.length === 0) return;
    const pending: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (this.count(waiter.resource) >= waiter.count) waiter.resolve();
      else pending.push(waiter);
    }
    this.waiters = pending;
  }
}

function matchesResource(stream: WatchStream, resource: string): boolean {
  const { plural, group } = stream.options.definition;
  return resource === plural || resource === `${plural}.${group}`;
}
