import { checkExamples, extractExamples } from './check-jsdoc-examples.js';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODULES = [
  '@kube-rx/core',
  '@kube-rx/watcher',
  './scripts/check-jsdoc-examples.prelude.d.ts',
];

// A source file as the checker reads it: the examples' line numbers are those of this text.
const fixture = [
  '/**', //                                              1
  ' * Retries with backoff.', //                         2
  ' *', //                                               3
  ' * ```ts', //                                         4  not in an @example: ignored
  ' * not code', //                                      5
  ' * ```', //                                           6
  ' *', //                                               7
  ' * @example', //                                      8
  ' * ```ts', //                                         9
  ' * const events$ = watcher(widgets).pipe(defaultBackoff());', // 10
  ' * const delay: string = exponentialBackoff()().next();', //     11  number | undefined
  ' * ```', //                                           12
  ' * @param strategy where the delays come from', //   13
  ' */', //                                              14
  'export const x = 1;', //                              15
  '', //                                                 16
  '  /**', //                                            17
  '   * @example', //                                    18
  '   * ```ts', //                                       19
  '   * if (isApiError(err, 404)) return;', //           20  `return` works: wrapped in a function
  '   * ```', //                                         21
  '   */', //                                            22
].join('\n');

describe('extractExamples', () => {
  it('takes the ts blocks of @example tags, with their source lines, and nothing else', () => {
    const examples = extractExamples(fixture, 'packages/core/src/operators/backoff.ts');
    expect(examples.map(({ tagLine, sourceLines }) => ({ tagLine, sourceLines }))).toEqual([
      { tagLine: 8, sourceLines: [10, 11] },
      { tagLine: 18, sourceLines: [20] },
    ]);
    expect(examples[1]?.lines).toEqual(['if (isApiError(err, 404)) return;']);
  });
});

describe('checkExamples', () => {
  it('reports a broken example at its JSDoc line and passes the others', () => {
    const examples = extractExamples(fixture, 'packages/core/src/operators/backoff.ts');
    const problems = checkExamples(examples, {
      root,
      outDir: '.examples/check-jsdoc-examples.spec',
      modules: MODULES,
    });
    expect(problems).toEqual([
      {
        file: 'packages/core/src/operators/backoff.ts',
        line: 11,
        message: expect.stringMatching(/not assignable to type 'string'/),
      },
    ]);
    // One TypeScript program over the packages: seconds, more on a loaded machine.
  }, 120_000);
});
