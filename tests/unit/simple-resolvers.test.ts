/**
 * `simpleResolvers` types have no resolver around their fields, so no authorization and no
 * middleware run on them: a type marked so must have neither on any field, its own or inherited
 * (docs/ARCHITECTURE.md, conventions). Checked on the built schema's metadata.
 */
import { getMetadataStorage } from 'type-graphql';
import { getSchema } from '../../src/server/schema';

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
