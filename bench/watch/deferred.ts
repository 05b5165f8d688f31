// A promise with its settle functions, in a file of its own: the floor contender imports it (and
// contender.ts only for types), so it loads no @kubernetes/client-node module — as a client that
// does not use client-node would not.

/** A promise with its settle functions, for callbacks that end a phase. */
export function deferred(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
} {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
