import { Writable } from 'node:stream';
import { Type } from 'typebox';
import winston from 'winston';
import {
  Api,
  createLogger,
  CustomResourceDefinition,
  defineCustomResource,
  isApiError,
  type ObjectOf,
} from '@kube-rx/core';
import { Action, Controller } from '@kube-rx/controller';
import { startTestApiServer, type TestApiServer } from '@kube-rx/testing';
import { firstValueFrom, type Subscription } from 'rxjs';
import { eventually } from './support.js';

const Gadget = defineCustomResource({
  group: 'example.com',
  version: 'v1',
  kind: 'Gadget',
  namespaced: true,
  spec: Type.Object({ size: Type.Integer({ minimum: 1 }), color: Type.Optional(Type.String()) }),
  status: Type.Object({ seen: Type.Optional(Type.Integer()) }),
});
type Gadget = ObjectOf<typeof Gadget>;

const NAMESPACE = 'default';
const gadget = (name: string, spec: unknown): Gadget =>
  ({
    apiVersion: 'example.com/v1',
    kind: 'Gadget',
    metadata: { name, namespace: NAMESPACE },
    spec,
  }) as Gadget;

let server: TestApiServer;
let subscription: Subscription | undefined;

beforeEach(async () => {
  server = await startTestApiServer({ bookmarkIntervalMs: 0 });
  // The CRD as defineCustomResource makes it, installed the way kubectl apply would.
  await firstValueFrom(
    Api.cluster(server.kubeConfig(), CustomResourceDefinition).create(Gadget.crdManifest()),
  );
});

afterEach(async () => {
  subscription?.unsubscribe();
  await server.close();
});

function logLines() {
  const lines: Array<{
    level: string;
    message: string;
    error?: { name?: string; message?: string };
  }> = [];
  const logger = createLogger({
    format: 'json',
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
            done();
          },
        }),
      }),
    ],
  });
  return { logger, lines };
}

describe('a schema-defined custom resource through watcher and Controller', () => {
  it('the server enforces the generated CRD: an invalid object is rejected with 422', async () => {
    const gadgets = Api.namespaced(server.kubeConfig(), Gadget, NAMESPACE);
    await firstValueFrom(gadgets.create(gadget('ok', { size: 1 })));
    const rejected = await firstValueFrom(gadgets.create(gadget('bad', { size: 0 }))).catch(
      (error: unknown) => error,
    );
    expect(isApiError(rejected, 422)).toBe(true);
  });

  it('skips an object that violates the schema with one SerdeError line per resourceVersion and reconciles the others', async () => {
    const { logger, lines } = logLines();
    const gadgets = Api.namespaced(server.kubeConfig(), Gadget, NAMESPACE, { logger });
    await firstValueFrom(gadgets.create(gadget('g1', { size: 1 })));
    await firstValueFrom(gadgets.create(gadget('g2', { size: 2 })));
    // The in-memory server's seed skips validation: the object a stricter CRD would now reject.
    server.seed(gadget('bad', { size: 'large' }));

    const reconciled: string[] = [];
    const controller = new Controller(gadgets);
    subscription = controller
      .run(
        (object) => {
          // The type reaches the reconciler: spec.size is a number.
          reconciled.push(`${object.metadata.name}:${object.spec.size * 10}`);
          return Action.awaitChange();
        },
        () => Action.awaitChange(),
        {},
      )
      .subscribe();
    await eventually(() => reconciled.length >= 2);
    expect(reconciled.sort()).toEqual(['g1:10', 'g2:20']);
    expect(controller.store.get({ namespace: NAMESPACE, name: 'bad' })).toBeUndefined();

    const serdeLines = () => lines.filter((line) => line.error?.name === 'SerdeError');
    expect(serdeLines()).toHaveLength(1);
    expect(serdeLines()[0]!.error!.message).toBe(
      'Gadget default/bad does not match its schema: .spec.size must be integer',
    );

    // A relist brings the same version again: no second line. Everything else keeps flowing.
    server.faults.compact();
    server.faults.dropWatches();
    await firstValueFrom(gadgets.create(gadget('g3', { size: 3 })));
    await eventually(() => reconciled.includes('g3:30'));
    expect(serdeLines()).toHaveLength(1);

    // A new version of the bad object is reported again; fixed, it is reconciled.
    server.seed(gadget('bad', { size: -1, color: 'red' }));
    await eventually(() => serdeLines().length === 2);
    expect(serdeLines()[1]!.error!.message).toBe(
      'Gadget default/bad does not match its schema: .spec.size must be >= 1',
    );
    server.seed(gadget('bad', { size: 4 }));
    await eventually(() => reconciled.includes('bad:40'));
    expect(reconciled.filter((entry) => entry.startsWith('bad:'))).toEqual(['bad:40']);
  });
});
