import { createRequire } from 'node:module';
import type { Type as TypeBoxType, TSchema } from 'typebox';
import type { Compile as TypeBoxCompile } from 'typebox/compile';

// TypeBox (its builder about 3 MB of heap, its compiler 2.5 MB more) is loaded the first time a
// schema is built or compiled, not when kube-rx is imported: watchers and controllers of built-in
// kinds never pay for it.
const require = createRequire(import.meta.url);
let builder: typeof TypeBoxType | undefined;
let compiler: typeof TypeBoxCompile | undefined;

function typeBuilder(): typeof TypeBoxType {
  builder ??= (require('typebox') as { Type: typeof TypeBoxType }).Type;
  return builder;
}

/**
 * TypeBox's schema builder (`Type` of the `typebox` package, the copy kube-rx validates with),
 * loaded on first use: `Type.Object({...})` and every other member are TypeBox's own.
 *
 * @example
 * ```ts
 * const spec = Type.Object({ size: Type.Integer({ minimum: 1 }) });
 * type Spec = Static<typeof spec>;
 * ```
 */
export const Type: typeof TypeBoxType = new Proxy({} as typeof TypeBoxType, {
  get: (_target, key) => Reflect.get(typeBuilder(), key) as unknown,
  has: (_target, key) => Reflect.has(typeBuilder(), key),
  ownKeys: () => Reflect.ownKeys(typeBuilder()),
  getOwnPropertyDescriptor: (_target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(typeBuilder(), key);
    // The builder's own properties are not configurable; a proxy may only say so of properties
    // its (empty) target has.
    return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
  },
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
});

/** TypeBox's `Compile(schema)`: its JIT validator for `schema` (TypeBox loaded on first use). */
export function compileSchema(schema: TSchema): ReturnType<typeof TypeBoxCompile<TSchema>> {
  compiler ??= (require('typebox/compile') as { Compile: typeof TypeBoxCompile }).Compile;
  return compiler(schema);
}
