import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';

/**
 * SQLite has no datetime type and better-sqlite3 cannot bind Date objects. This plugin
 * writes every Date parameter as UTC text `YYYY-MM-DD HH:MM:SS.mmm` (sortable, comparable)
 * and turns columns named `*_time` back into Dates when reading.
 */
export class SqliteDatePlugin implements KyselyPlugin {
  private readonly transformer = new DateToText();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    timesToDates(args.result.rows);
    return Promise.resolve(args.result);
  }
}

/** Turn the `*_time` text columns of `rows` into Dates, in place (as read from SQLite). */
export function timesToDates(rows: readonly Record<string, unknown>[]): void {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (typeof value === 'string' && key.endsWith('_time')) row[key] = textToDate(value);
    }
  }
}

export function dateToText(date: Date): string {
  // `YYYY-MM-DDTHH:MM:SS.mmmZ` (years 0-9999): the T becomes a space, the Z goes.
  const iso = date.toISOString();
  return iso.length === 24
    ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
    : iso.replace('T', ' ').replace('Z', '');
}

export function textToDate(text: string): Date {
  return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
}

class DateToText extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value: unknown = node.value;
    if (value instanceof Date) return { ...node, value: dateToText(value) };
    return super.transformValue(node);
  }

  protected override transformPrimitiveValueList(
    node: Parameters<OperationNodeTransformer['transformPrimitiveValueList']>[0],
  ) {
    if (node.values.some((v) => v instanceof Date)) {
      return { ...node, values: node.values.map((v) => (v instanceof Date ? dateToText(v) : v)) };
    }
    return super.transformPrimitiveValueList(node);
  }
}
