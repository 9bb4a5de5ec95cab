import { getOperationAST, Kind, parse, type FieldNode, type FragmentDefinitionNode } from 'graphql';
import { selectsField } from '../../src/common/selection';

/** The resolver's view of `query`: its top field's nodes and the document's fragments. */
function infoOf(query: string) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const fieldNodes = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  return { fieldNodes, fragments };
}

describe('selectsField', () => {
  it('finds a nested field by name, through aliases, inline fragments and fragments', () => {
    expect(selectsField(infoOf('{ rollup { groups { year missing { code } } } }'), ['groups', 'missing'])).toBe(true);
    expect(selectsField(infoOf('{ rollup { groups { year missingCount } totals { missing { code } } } }'), ['groups', 'missing'])).toBe(false);
    expect(selectsField(infoOf('{ rollup { g: groups { gone: missing { code } } } }'), ['groups', 'missing'])).toBe(true);
    expect(selectsField(infoOf('{ rollup { groups { ... on RollupGroup { missing { code } } } } }'), ['groups', 'missing'])).toBe(true);
    expect(selectsField(infoOf('query { rollup { ...R } } fragment R on Rollup { groups { ...G } } fragment G on RollupGroup { missing { code } }'), ['groups', 'missing'])).toBe(true);
    expect(selectsField(infoOf('query { rollup { ...R } } fragment R on Rollup { groups { year } }'), ['groups', 'missing'])).toBe(false);
  });

  it('counts a field under @skip or @include as asked for, and survives a fragment cycle', () => {
    expect(selectsField(infoOf('query($s: Boolean!) { rollup { groups { missing @skip(if: $s) { code } } } }'), ['groups', 'missing'])).toBe(true);
    // Invalid GraphQL (validation refuses cycles), but the walk must still end.
    expect(selectsField(infoOf('query { rollup { ...A } } fragment A on Rollup { ...B } fragment B on Rollup { ...A }'), ['groups', 'missing'])).toBe(false);
  });
});
