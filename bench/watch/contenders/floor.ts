// The floor: the least a list+watch client can do. node:http with a keep-alive agent, one unpaged
// LIST parsed with one JSON.parse, then the WATCH from its resourceVersion split into lines on the
// Buffers and one JSON.parse per event, every object into a Map by name. No validation, no error
// handling beyond failing the run. It loads no @kubernetes/client-node module (the heap after GC is
// the floor's own).
import { Agent, get, type IncomingMessage } from 'node:http';
import { CONFIGMAPS_PATH, MARKER_NAME } from '../benchObjects.js';
import type { ContenderSetup } from '../contender.js';
import { deferred } from '../deferred.js';

interface Item {
  metadata: { name: string; resourceVersion: string };
}

const NEWLINE = 10;

const setup: ContenderSetup = async ({ url }) => {
  const agent = new Agent({ keepAlive: true });
  const headers = { authorization: 'Bearer bench-token', accept: 'application/json' };
  const request = (path: string): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      get(`${url}${path}`, { agent, headers }, resolve).on('error', reject);
    });
  const cache = new Map<string, Item>();
  return {
    start() {
      const synced = deferred();
      const done = deferred();
      let watchResponse: IncomingMessage | undefined;
      const run = async (): Promise<void> => {
        const listResponse = await request(CONFIGMAPS_PATH);
        const chunks: Buffer[] = [];
        for await (const chunk of listResponse) chunks.push(chunk as Buffer);
        const list = JSON.parse(Buffer.concat(chunks).toString()) as {
          metadata: { resourceVersion: string };
          items: Item[];
        };
        for (const item of list.items) cache.set(item.metadata.name, item);
        synced.resolve();
        watchResponse = await request(
          `${CONFIGMAPS_PATH}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
        );
        let pending: Buffer | undefined;
        watchResponse.on('data', (chunk: Buffer) => {
          const buffer = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
          let start = 0;
          let newline = buffer.indexOf(NEWLINE, start);
          while (newline !== -1) {
            const event = JSON.parse(buffer.toString('utf8', start, newline)) as { object: Item };
            cache.set(event.object.metadata.name, event.object);
            if (event.object.metadata.name === MARKER_NAME) done.resolve();
            start = newline + 1;
            newline = buffer.indexOf(NEWLINE, start);
          }
          pending = start < buffer.length ? buffer.subarray(start) : undefined;
        });
        watchResponse.on('error', done.reject);
      };
      run().catch((error: unknown) => {
        synced.reject(error);
        done.reject(error);
      });
      return {
        synced: synced.promise,
        done: done.promise,
        entries: () =>
          [...cache.values()].map((item) => [item.metadata.name, item.metadata.resourceVersion]),
        stop: () => {
          watchResponse?.destroy();
          agent.destroy();
        },
      };
    },
  };
};

export default setup;
