import { firstValueFrom } from 'rxjs';
import { Patch, type Api } from '@kube-rx/core';
import type { SeededRandom } from './seededRandom.js';
import { widget, type WidgetObject } from './soakResources.js';

/** Counts of what the writer did. */
export interface WriterStats {
  creates: number;
  updates: number;
  deletes: number;
  /** Writes that failed (faults hit the writer too); they are not retried. */
  failures: number;
}

/** A client that creates, updates and deletes Widgets at a steady pace until stopped. */
export interface Writer {
  readonly stats: WriterStats;
  /** While paused, no write is sent. */
  paused: boolean;
  /** Stops and resolves after the write in flight. */
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function startWriter(
  widgets: Api<WidgetObject>,
  random: SeededRandom,
  config: { objects: number; writesPerSecond: number },
): Writer {
  const stats: WriterStats = { creates: 0, updates: 0, deletes: 0, failures: 0 };
  let stopped = false;
  const state = { paused: false };
  const names = (): string => `w-${random.integer(0, Math.round(config.objects * 1.2) - 1)}`;
  const writeOnce = async (): Promise<void> => {
    const name = names();
    const roll = random.next();
    try {
      if (roll < 0.2) {
        await firstValueFrom(widgets.create(widget(name, random.integer(1, 100))));
        stats.creates++;
      } else if (roll < 0.85) {
        await firstValueFrom(
          widgets.patch(name, Patch.merge({ spec: { size: random.integer(1, 100) } })),
        );
        stats.updates++;
      } else {
        await firstValueFrom(widgets.delete(name));
        stats.deletes++;
      }
    } catch {
      // 404 / 409 for a name that does not (or already does) exist, and injected faults.
      stats.failures++;
    }
  };
  const loop = (async () => {
    const pause = 1000 / config.writesPerSecond;
    while (!stopped) {
      if (!state.paused) await writeOnce();
      await sleep(pause);
    }
  })();
  return {
    stats,
    get paused() {
      return state.paused;
    },
    set paused(value: boolean) {
      state.paused = value;
    },
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
