/**
 * `simpleResolvers` types have no resolver around their fields, so no authorization and no
 * middleware run on them: a type marked so must have neither on any field, its own or inherited
 * (docs/ARCHITECTURE.md, conventions). The same holds for the fields resolved by a plain function
 * (src/server/plain-fields.ts), which bypass type-graphql's wrapper. Checked on the built schema.
 */
import { isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { getSchema } from '../../src/server/schema';
import { PLAIN_FIELD_RESOLVERS } from '../../src/server/plain-fields';

describe('simpleResolvers types', () => {
  it('are the hot types of a comparison, and none has an @Authorized or middleware field', async () => {
    await getSchema();
    const storage = getMetadataStorage();
    const simple = storage.objectTypes.filter((t) => t.simpleResolvers);
    expect(simple.map((t) => t.name)).toEqual(expect.arrayContaining(['ComparedValue', 'OfficeComparisonRow', 'OfficeComparisonRowEdge', 'PageInfo', 'Office']));
    const inherits = (child: object, parent: object) => child === parent || Object.prototype.isPrototypeOf.call(parent, child);
    for (const type of simple) {
      const guarded = storage.authorizedFields.filter((a) => inherits(type.target, a.target)).map((a) => a.fieldName);
      const wrapped = (type.fields ?? []).filter((f) => (f.roles?.length ?? 0) > 0 || (f.middlewares?.length ?? 0) > 0).map((f) => f.name);
      expect([type.name, [...guarded, ...wrapped]]).toEqual([type.name, []]);
    }
  });
});

describe('plain field resolvers', () => {
  it('replace only fields with no access rule or middleware, and answer synchronously', async () => {
    const schema = await getSchema();
    const storage = getMetadataStorage();
    const entries = Object.entries(PLAIN_FIELD_RESOLVERS).flatMap(([typeName, fields]) => Object.keys(fields).map((field) => [typeName, field] as const));
    expect(entries).toContainEqual(['OfficeComparisonRow', 'values']);
    for (const [typeName, fieldName] of entries) {
      const declared = storage.fieldResolvers.filter((r) => r.methodName === fieldName && storage.objectTypes.some((t) => t.name === typeName && r.getObjectType?.() === t.target));
      expect([typeName, fieldName, declared.length]).toEqual([typeName, fieldName, 1]);
      expect([typeName, fieldName, declared[0]!.roles ?? [], declared[0]!.middlewares]).toEqual([typeName, fieldName, [], []]);
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      expect(type.getFields()[fieldName]!.resolve).toBe(PLAIN_FIELD_RESOLVERS[typeName]![fieldName]);
    }
    // The row's values, filtered, as an array (type-graphql's wrapper answered a promise).
    const row = { office: {}, values: [{ metric: 'a' }, { metric: 'b' }] };
    const resolve = (schema.getType('OfficeComparisonRow') as import('graphql').GraphQLObjectType).getFields().values!.resolve!;
    expect(resolve(row, { metrics: ['b'] }, {}, {} as never)).toEqual([{ metric: 'b' }]);
    expect(resolve(row, {}, {}, {} as never)).toBe(row.values);
  });
});
