import { jest } from '@jest/globals';
import { defer, firstValueFrom, of, throwError } from 'rxjs';
import { ApiError, type KubeObject, type PatchBody } from '@kube-rx/core';
import { Action } from './action.js';
import { finalizer, type FinalizerApi, type FinalizerEvent } from './finalizer.js';
import { isFinalizerError } from './finalizerError.js';

const NAME = 'widgets.example.com/cleanup';

function object(metadata: KubeObject['metadata']): KubeObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'ns', resourceVersion: '7', ...metadata },
  };
}

function fakeApi(fail?: unknown): FinalizerApi<KubeObject> & { patches: PatchBody[] } {
  const patches: PatchBody[] = [];
  return {
    patches,
    patch: (_name, patch) =>
      defer(() => {
        patches.push(patch);
        return fail === undefined ? of(object({})) : throwError(() => fail);
      }),
  };
}

describe('finalizer', () => {
  it('adds the finalizer (guarded by resourceVersion) and does not call the handler', async () => {
    const api = fakeApi();
    const handler = jest.fn(() => Action.requeue(1));
    const action = await firstValueFrom(finalizer(api, NAME, object({}), handler));
    expect(action).toBe(Action.awaitChange());
    expect(handler).not.toHaveBeenCalled();
    expect(api.patches).toEqual([
      {
        type: 'json',
        body: [
          { op: 'test', path: '/metadata/resourceVersion', value: '7' },
          { op: 'add', path: '/metadata/finalizers', value: [NAME] },
        ],
      },
    ]);
  });

  it('appends to existing finalizers, testing them first', async () => {
    const api = fakeApi();
    await firstValueFrom(
      finalizer(api, NAME, object({ finalizers: ['other/one'] }), () => Action.awaitChange()),
    );
    expect(api.patches[0]!.body).toEqual([
      { op: 'test', path: '/metadata/finalizers', value: ['other/one'] },
      { op: 'add', path: '/metadata/finalizers/-', value: NAME },
    ]);
  });

  it('applies when the finalizer is present, without patching', async () => {
    const api = fakeApi();
    const events: FinalizerEvent<KubeObject>[] = [];
    const action = await firstValueFrom(
      finalizer(api, NAME, object({ finalizers: [NAME] }), async (event) => {
        events.push(event);
        return Action.requeue(60_000);
      }),
    );
    expect(action.requeueAfter).toBe(60_000);
    expect(events.map((e) => e.type)).toEqual(['Apply']);
    expect(api.patches).toEqual([]);
  });

  it('cleans up, then removes only its own finalizer by index with a test op', async () => {
    const api = fakeApi();
    const deleting = object({
      finalizers: ['other/one', NAME, 'other/two'],
      deletionTimestamp: '1970-01-01T00:00:00Z',
    });
    const action = await firstValueFrom(
      finalizer(api, NAME, deleting, (event) =>
        of(Action.requeue(event.type === 'Cleanup' ? 5 : 9)),
      ),
    );
    expect(action.requeueAfter).toBe(5);
    expect(api.patches[0]!.body).toEqual([
      { op: 'test', path: '/metadata/finalizers/1', value: NAME },
      { op: 'remove', path: '/metadata/finalizers/1' },
    ]);
  });

  it('counts removing the finalizer from an object that is already gone (404) as done', async () => {
    const gone = new ApiError({ code: 404, reason: 'NotFound', message: 'widgets "w1" not found' });
    const deleting = object({ finalizers: [NAME], deletionTimestamp: '1970-01-01T00:00:00Z' });
    const action = await firstValueFrom(
      finalizer(fakeApi(gone), NAME, deleting, () => Action.requeue(3)),
    );
    expect(action.requeueAfter).toBe(3);

    const conflict = new ApiError({ code: 422, reason: 'Invalid', message: 'test failed' });
    const error = await firstValueFrom(
      finalizer(fakeApi(conflict), NAME, deleting, () => Action.requeue(3)),
    ).catch((e: unknown) => e);
    expect(isFinalizerError(error, 'RemoveFinalizer')).toBe(true);
  });

  it('keeps the finalizer when cleanup fails', async () => {
    const api = fakeApi();
    const deleting = object({ finalizers: [NAME], deletionTimestamp: '1970-01-01T00:00:00Z' });
    const failure = new Error('external system down');
    const error = await firstValueFrom(
      finalizer(api, NAME, deleting, () => {
        throw failure;
      }),
    ).catch((e: unknown) => e);
    expect(isFinalizerError(error, 'CleanupFailed')).toBe(true);
    expect((error as Error).cause).toBe(failure);
    expect(api.patches).toEqual([]);
  });

  it('does nothing for an object being deleted without our finalizer', async () => {
    const api = fakeApi();
    const handler = jest.fn(() => Action.requeue(1));
    const deleting = object({
      finalizers: ['other/one'],
      deletionTimestamp: '1970-01-01T00:00:00Z',
    });
    expect(await firstValueFrom(finalizer(api, NAME, deleting, handler))).toBe(
      Action.awaitChange(),
    );
    expect(handler).not.toHaveBeenCalled();
    expect(api.patches).toEqual([]);
  });

  it('wraps handler and patch failures in typed errors', async () => {
    const applyError = await firstValueFrom(
      finalizer(fakeApi(), NAME, object({ finalizers: [NAME] }), () =>
        Promise.reject(new Error('x')),
      ),
    ).catch((e: unknown) => e);
    expect(isFinalizerError(applyError, 'ApplyFailed')).toBe(true);

    const patchFailure = new Error('422');
    const addError = await firstValueFrom(
      finalizer(fakeApi(patchFailure), NAME, object({}), () => Action.awaitChange()),
    ).catch((e: unknown) => e);
    expect(isFinalizerError(addError, 'AddFinalizer')).toBe(true);
    expect((addError as Error).cause).toBe(patchFailure);

    const removeError = await firstValueFrom(
      finalizer(
        fakeApi(patchFailure),
        NAME,
        object({ finalizers: [NAME], deletionTimestamp: '1970-01-01T00:00:00Z' }),
        () => Action.awaitChange(),
      ),
    ).catch((e: unknown) => e);
    expect(isFinalizerError(removeError, 'RemoveFinalizer')).toBe(true);
  });

  it('rejects unnamed objects and invalid finalizer names', async () => {
    const unnamed = await firstValueFrom(
      finalizer(fakeApi(), NAME, { metadata: {} }, () => Action.awaitChange()),
    ).catch((e: unknown) => e);
    expect(isFinalizerError(unnamed, 'UnnamedObject')).toBe(true);
    for (const bad of ['', 'has space', 'a/b/c', '-bad/name', 'Upper.Case/name']) {
      const invalid = await firstValueFrom(
        finalizer(fakeApi(), bad, object({}), () => Action.awaitChange()),
      ).catch((e: unknown) => e);
      expect(isFinalizerError(invalid, 'InvalidFinalizer')).toBe(true);
    }
  });

  it('fails when the handler returns something that is not an Action', async () => {
    const error = await firstValueFrom(
      finalizer(fakeApi(), NAME, object({ finalizers: [NAME] }), () => 'done' as never),
    ).catch((e: unknown) => e);
    expect(isFinalizerError(error, 'ApplyFailed')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});
