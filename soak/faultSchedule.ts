import type { TestApiServer } from '@kube-rx/testing';
import type { SeededRandom } from './seededRandom.js';

/** The faults a soak run injects, one every few seconds, chosen by the seeded random. */
export const FAULTS = [
  'throttle429',
  'error5xx',
  'resetWatches',
  'resetOpenConnections',
  'dropWatches',
  'compact',
  'malformedWatchLine',
  'refuseConnections',
  'restart',
  'restartDroppingHistory',
  'slowListPages',
] as const;

export type FaultName = (typeof FAULTS)[number];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Injects one fault; resolves when it is over (most are instant; some last a few seconds). */
export async function injectFault(
  server: TestApiServer,
  fault: FaultName,
  random: SeededRandom,
): Promise<void> {
  const verb = random.pick(['list', 'watch', 'patch', 'get', 'delete', 'create'] as const);
  switch (fault) {
    case 'throttle429':
      server.faults.inject({
        verb,
        status: 429,
        retryAfterSeconds: 1,
        times: random.integer(5, 40),
      });
      return;
    case 'error5xx':
      server.faults.inject({
        verb,
        status: random.pick([500, 502, 503, 504]),
        times: random.integer(5, 60),
      });
      return;
    case 'resetWatches':
      server.faults.resetConnections({ verb: 'watch', stage: 'body', times: random.integer(1, 3) });
      return;
    case 'resetOpenConnections':
      server.faults.resetConnections();
      return;
    case 'dropWatches':
      server.faults.dropWatches();
      return;
    case 'compact':
      server.faults.compact();
      return;
    case 'malformedWatchLine':
      server.faults.malformedWatchLine();
      return;
    case 'refuseConnections':
      await server.faults.refuseConnections(true);
      await sleep(random.integer(500, 3000));
      await server.faults.refuseConnections(false);
      return;
    case 'restart':
      await server.restart();
      return;
    case 'restartDroppingHistory':
      await server.restart({ dropHistory: true });
      return;
    case 'slowListPages':
      server.faults.inject({ verb: 'list', delayMs: random.integer(100, 400), times: 20 });
      return;
  }
}
