import { type ClassType, Field, Int, ObjectType } from 'type-graphql';
import { BadUserInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: '分页信息 / Relay page info', simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A Relay connection type for `Node`, named `${name}Connection` with `${name}Edge` edges. */
export function Connection<TNode extends object>(name: string, node: ClassType<TNode>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: TNode;
  }

  @ObjectType(`${name}ConnectionBase`, { simpleResolvers: true })
  abstract class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: '符合条件的总数 / Total matching' })
    totalCount!: number;
  }
  return ConnectionType;
}

export function encodeCursor(value: string): string {
  return Buffer.from(`c:${value}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('c:')) throw BadUserInputError.of(field, `not a cursor from this API: "${cursor}"`);
  return decoded.slice(2);
}

/** `first` capped at MAX_PAGE_SIZE; zero or negative is an error. */
export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1) throw BadUserInputError.of(field, `must be a positive integer, got ${first}`);
  return Math.min(first, MAX_PAGE_SIZE);
}

export function connectionOf<T>(nodes: T[], limit: number, cursorOf: (node: T) => string, totalCount: number, hasPrevious: boolean) {
  const page = nodes.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: nodes.length > limit,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * A list field's page: at most `first` items (capped at `cap`, MAX_PAGE_SIZE at most) from
 * `offset`. The query cost multiplies what is selected under the list by `first`, so a list is
 * costed by what it can really return, not by a guess.
 */
export function listPage<T>(items: readonly T[], first: number, offset: number, cap = MAX_PAGE_SIZE): T[] {
  if (!Number.isInteger(first) || first < 1) throw BadUserInputError.of('first', `must be a positive integer, got ${first}`);
  if (!Number.isInteger(offset) || offset < 0) throw BadUserInputError.of('offset', `must be zero or a positive integer, got ${offset}`);
  return items.slice(offset, offset + Math.min(first, cap, MAX_PAGE_SIZE));
}
