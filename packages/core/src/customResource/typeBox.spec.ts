import { Type as TypeBoxType } from 'typebox';
import { Compile } from 'typebox/compile';
import { compileSchema, Type } from './typeBox.js';

describe('Type (TypeBox loaded on first use)', () => {
  it('hands out TypeBox’s own builder functions and keys', () => {
    expect(Type.Object).toBe(TypeBoxType.Object);
    expect(Type.Integer).toBe(TypeBoxType.Integer);
    expect('Object' in Type).toBe(true);
    expect('NoSuchBuilder' in Type).toBe(false);
    expect(Object.keys(Type).sort()).toEqual(Object.keys(TypeBoxType).sort());
    const schema = Type.Object({ size: Type.Integer({ minimum: 1 }) });
    expect(schema).toEqual(TypeBoxType.Object({ size: TypeBoxType.Integer({ minimum: 1 }) }));
  });

  it('cannot be changed', () => {
    expect(() => {
      (Type as unknown as Record<string, unknown>)['Object'] = () => undefined;
    }).toThrow(TypeError);
    expect(Type.Object).toBe(TypeBoxType.Object);
  });
});

describe('compileSchema', () => {
  it('is TypeBox’s Compile', () => {
    const schema = Type.Object({ size: Type.Integer() });
    const validator = compileSchema(schema);
    expect(validator.Check({ size: 3 })).toBe(true);
    expect(validator.Check({ size: 'big' })).toBe(false);
    expect(validator.Errors({ size: 'big' })).toEqual(Compile(schema).Errors({ size: 'big' }));
  });
});
