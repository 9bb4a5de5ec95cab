/**
 * Look-ahead in a resolver: whether the query asks for a field below the resolver's own, so that
 * work whose only use is a field nobody asked for is skipped (a rollup's offices that filed
 * nothing cost a statement of their own over the whole subtree). Aliases, fragments and inline
 * fragments are followed; a field under @skip/@include counts as asked for (reading too much is
 * harmless, too little is not).
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface SelectionInfo {
  readonly fieldNodes: readonly FieldNode[];
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
}

/** Whether `path` (field names, e.g. `['groups', 'missing']`) is selected under the resolver's field. */
export function selectsField(info: SelectionInfo, path: readonly string[]): boolean {
  const visit = (set: SelectionSetNode | undefined, depth: number, seen: ReadonlySet<string>): boolean => {
    if (!set) return false;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== path[depth]) continue;
        if (depth === path.length - 1 || visit(selection.selectionSet, depth + 1, seen)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (visit(selection.selectionSet, depth, seen)) return true;
      } else {
        const name = selection.name.value;
        if (seen.has(name)) continue;
        if (visit(info.fragments[name]?.selectionSet, depth, new Set([...seen, name]))) return true;
      }
    }
    return false;
  };
  return path.length === 0 || info.fieldNodes.some((node) => visit(node.selectionSet, 0, new Set()));
}
