import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from '../errors.js';

@ObjectType({ description: 'Where a page of a cursor connection sits in the whole list.' })
export class PageInfo {
  @Field({
    description: 'Whether more items follow this page; fetch them with `after: endCursor`.',
  })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'The cursor of the last item of this page, to pass as `after` for the next; null when the page is empty.',
  })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: 'At most 100.' })
  first: number = 50;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  after?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A cursor connection type for `Item`, named `<Item>Connection`. */
export function ConnectionType<T extends object>(Item: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One \`${name}\` of a page, with its cursor.` })
  class Edge {
    @Field({
      description: 'An opaque cursor for this item: pass it as `after` to get the items after it.',
    })
    cursor!: string;

    @Field(() => Item, { description: 'The item.' })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of \`${name}\` items, with a cursor to ask for the next page.`,
  })
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge], { description: 'The items of this page, each with its cursor.' })
    edges!: Edge[];

    @Field(() => [Item], { description: 'The items of this page, without cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether another page follows, and its cursor.' })
    pageInfo!: PageInfo;

    @Field(() => Int, {
      description: 'How many items the whole list holds (all pages, with the same filters).',
    })
    totalCount!: number;
  }
  return ConnectionClass;
}

interface Keyed {
  id: string;
  createdAt: Date;
}

function encodeCursor(row: Keyed): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(at));
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return [date, id];
  } catch {
    throw badInput('after', 'The cursor is not valid.');
  }
}

/** Refuses a page size outside 1..100 (the `first` argument). */
export function checkPageSize(args: PageArgs): void {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > 100) {
    throw badInput('first', 'Ask for between 1 and 100 items.');
  }
}

/**
 * The connection of a page read as `first + 1` rows in order (the extra row only says that
 * another page follows), out of `totalCount` in all.
 */
export function pageOf<T extends Keyed>(
  rows: readonly T[],
  first: number,
  totalCount: number,
): Connection<T> {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null },
    totalCount,
  };
}

/**
 * One page of `entity` rows matching `where`, newest first (or oldest first), keyed on
 * (createdAt, id) so pages stay stable while rows are added.
 */
export async function paginate<T extends Keyed>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  args: PageArgs,
  direction: 'asc' | 'desc' = 'desc',
): Promise<Connection<T>> {
  checkPageSize(args);
  let filter = where;
  if (args.after) {
    const [at, id] = decodeCursor(args.after);
    const op = direction === 'desc' ? '$lt' : '$gt';
    filter = {
      $and: [where, { $or: [{ createdAt: { [op]: at } }, { createdAt: at, id: { [op]: id } }] }],
    } as FilterQuery<T>;
  }
  const [rows, totalCount] = await Promise.all([
    em.find(entity, filter, {
      orderBy: { createdAt: direction, id: direction } as never,
      limit: args.first + 1,
    }),
    em.count(entity, where),
  ]);
  return pageOf(rows as T[], args.first, totalCount);
}
