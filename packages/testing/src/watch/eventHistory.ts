import type { ChangeEvent } from './watchEvent.js';

/**
 * The bounded window of recent events a WATCH can resume from (the watch cache). It holds every
 * event with a resourceVersion above {@link EventHistory.startResourceVersion}.
 */
export class EventHistory {
  private readonly capacity: number;
  private events: ChangeEvent[] = [];
  private head = 0;
  private start = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Watching from a resourceVersion below this is "too old" (410). */
  get startResourceVersion(): number {
    return this.start;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  push(event: ChangeEvent): void {
    this.events.push(event);
    if (this.size > this.capacity) {
      const dropped = this.events[this.head];
      this.head++;
      if (dropped !== undefined) this.start = dropped.resourceVersion;
      // Reclaim the array once the dead prefix is as large as the live window.
      if (this.head >= this.capacity) {
        this.events = this.events.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** Events with a resourceVersion above `resourceVersion`, oldest first. */
  since(resourceVersion: number): ChangeEvent[] {
    let low = this.head;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.events[mid]?.resourceVersion ?? 0) <= resourceVersion) low = mid + 1;
      else high = mid;
    }
    return this.events.slice(low);
  }

  /** Forgets every event: from now on only watches from `currentResourceVersion` on are served. */
  compact(currentResourceVersion: number): void {
    this.events = [];
    this.head = 0;
    this.start = currentResourceVersion;
  }
}
