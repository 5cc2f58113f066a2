import { basename } from 'node:path';
import { throwIfAborted } from '../errors';
import { withCommittedContents, type CommittedContentsOptions } from './pages/committed-contents';
import type { OperationOptions } from '../progress';
import { openDatabasePair, type DatabasePair } from './pages/database-pair';
import { quotedIdentifier } from './sql/identifiers';
import { compareObjects, objectSchemaChanges, type ObjectChanges } from './schema/schema-objects';
import { readSchema, type DatabaseSchema, type SchemaObject, type TableSchema } from './schema/schema-reader';
import { comparePages, type Rowid, type RowidChanges } from './pages/shared-pages';
import { alterAddColumnStatement, createStatement, deleteStatement, dropStatement, insertStatement, updateStatement } from './sql/sql-statements';
import { planTable, type TablePlan } from './table-plan';
import { compareRows, dumpRows, type RowScope } from './table-rows';
import type { DiffOutline, RowChange, SchemaChange, TableDiff, TableSummary, TextEncoding } from './types';

export interface DiffOptions extends OperationOptions, Omit<CommittedContentsOptions, 'signal'> {
  /** Compare only these tables (exact names); views are then left out. */
  tables?: string[];
  /** Compare b2m's own `_b2m_migrations` table too (left out by default). */
  includeB2mTable?: boolean;
  /** Count changes only: no rows and no SQL. */
  summaryOnly?: boolean;
  /** Names of the two sides in the result, progress and errors (default: the file names; the paths in errors). */
  labels?: { a: string; b: string };
}

/** Receives SQL text in order, in pieces of whole statements. May return a promise (backpressure). */
export type SqlSink = (text: string) => void | Promise<void>;

export interface DiffOutput {
  sql?: SqlSink;
  row?: (table: string, change: RowChange) => void;
}

export const B2M_TABLE = '_b2m_migrations';
const SEQUENCE_TABLE = 'sqlite_sequence';
const FLUSH_CHARS = 1 << 16;

/** Compares A with B, handing SQL and rows to `output` as it goes; returns the outline. */
export async function runDiff(aPath: string, bPath: string, options: DiffOptions, output: DiffOutput): Promise<DiffOutline> {
  throwIfAborted(options.signal);
  const labels = options.labels ?? { a: basename(aPath), b: basename(bPath) };
  options.onProgress?.({ step: 'diff', message: `Reading ${labels.a} and ${labels.b}` });
  return withCommittedContents([aPath, bPath], options, async ([a, b]) => {
    const pair = await openDatabasePair(a!, b!, options.labels ?? { a: aPath, b: bPath });
    try {
      const result = await new DiffRun(pair, options, options.summaryOnly ? {} : output).run(labels).catch((e: unknown) => {
        // A file written to meanwhile can make any read fail: that is the error to report.
        pair.assertUnchanged();
        throw e;
      });
      pair.assertUnchanged();
      return result;
    } finally {
      pair.close();
    }
  });
}

class DiffRun {
  private pending: string[] = [];
  private pendingChars = 0;
  /** Triggers dropped so that applying row changes does not fire them; created again at the end. */
  private readonly suspendedTriggers: SchemaObject[] = [];

  constructor(
    private readonly pair: DatabasePair,
    private readonly options: DiffOptions,
    private readonly output: DiffOutput,
  ) {}

  async run(labels: { a: string; b: string }): Promise<DiffOutline> {
    const schemaA = readSchema(this.pair.db, 'main');
    const schemaB = readSchema(this.pair.db, 'aux');
    const plans = this.tableNames(schemaA, schemaB).map((name) =>
      planTable(schemaA.tables.get(name), schemaB.tables.get(name), this.pair.scratch),
    );
    const included = new Set(plans.map((p) => p.name));
    const withViews = !this.options.tables;
    const ofType = (s: DatabaseSchema, type: SchemaObject['type']) =>
      s.objects.filter((o) => o.type === type && (included.has(o.tableName) || (withViews && !isTable(o.tableName))));
    const isTable = (name: string) => schemaA.tables.has(name) || schemaB.tables.has(name);
    const triggers = compareObjects(ofType(schemaA, 'trigger'), ofType(schemaB, 'trigger'));
    const views = compareObjects(ofType(schemaA, 'view'), ofType(schemaB, 'view'));
    // Dropping a table or view drops its triggers with it.
    const rebuilt = new Set([
      ...plans.filter((p) => p.kind !== 'compared').map((p) => p.name),
      ...views.dropped.map((v) => v.name),
      ...views.changed.map(([old]) => old.name),
    ]);

    for (const trigger of [...triggers.dropped, ...triggers.changed.map(([old]) => old)]) {
      if (!rebuilt.has(trigger.tableName)) this.write(dropStatement('trigger', trigger.name));
    }
    for (const view of [...views.dropped, ...views.changed.map(([old]) => old)]) this.write(dropStatement('view', view.name));

    const tables: Omit<TableDiff, 'rows'>[] = [];
    for (const [i, plan] of plans.entries()) {
      const indexesOf = (s: DatabaseSchema) => s.objects.filter((o) => o.type === 'index' && o.tableName === plan.name);
      const indexes = compareObjects(indexesOf(schemaA), indexesOf(schemaB));
      const table = await this.diffTable(plan, indexes, triggers);
      const ownTriggers = objectSchemaChanges(triggers).filter((c) => triggerTable(c, schemaA, schemaB) === plan.name);
      tables.push({ ...table, schemaChanges: [...table.schemaChanges, ...ownTriggers] });
      await this.pause();
      this.options.onProgress?.({ step: 'diff', message: `Compared ${plan.name}`, done: i + 1, total: plans.length });
    }

    for (const view of [...views.added, ...views.changed.map(([, now]) => now)]) this.write(createStatement(view.sql));
    const onRebuilt = triggers.same.filter((t) => rebuilt.has(t.tableName));
    for (const trigger of [...this.suspendedTriggers, ...onRebuilt, ...triggers.changed.map(([, now]) => now), ...triggers.added]) {
      this.write(createStatement(trigger.sql));
    }
    await this.flush();
    const tableNames = new Set(tables.map((t) => t.table));
    const looseTriggers = objectSchemaChanges(triggers).filter((c) => !tableNames.has(triggerTable(c, schemaA, schemaB) ?? ''));
    return { a: labels.a, b: labels.b, tables, objectChanges: [...objectSchemaChanges(views), ...looseTriggers] };
  }

  /** Tables of A and B in sqldiff's order (by name, bytewise), sqlite_sequence last. */
  private tableNames(a: DatabaseSchema, b: DatabaseSchema): string[] {
    const wanted = this.options.tables ? new Set(this.options.tables) : null;
    const names = [...new Set([...a.tables.keys(), ...b.tables.keys()])].filter(
      (n) => (wanted === null || wanted.has(n)) && (this.options.includeB2mTable || n !== B2M_TABLE),
    );
    const sortKey = (n: string) => (n === SEQUENCE_TABLE ? 1 : 0);
    return names.sort((x, y) => sortKey(x) - sortKey(y) || Buffer.compare(Buffer.from(x), Buffer.from(y)));
  }

  private async diffTable(plan: TablePlan, indexes: ObjectChanges, triggers: ObjectChanges): Promise<Omit<TableDiff, 'rows'>> {
    switch (plan.kind) {
      case 'dropped': {
        const isSequence = plan.name === SEQUENCE_TABLE;
        this.write(isSequence ? `DELETE FROM ${SEQUENCE_TABLE};\n` : dropStatement('table', plan.name));
        const deletes = this.countRows('main', plan.a);
        return outline(plan.a, [{ kind: 'table-dropped', sql: plan.a.sql }], { changes: 0, inserts: 0, deletes, unchanged: 0 });
      }
      case 'added':
      case 'recreated': {
        if (plan.kind === 'recreated') this.write(dropStatement('table', plan.name, 'due to schema mismatch'));
        if (plan.name !== SEQUENCE_TABLE) this.write(createStatement(plan.b.sql));
        const inserts = await dumpRows(this.pair, plan.b, () => this.pause(), this.rowWriter(plan.b));
        for (const index of indexes.added.concat(indexes.same, indexes.changed.map(([, now]) => now))) this.write(createStatement(index.sql));
        const change: SchemaChange = plan.kind === 'added' ? { kind: 'table-added', sql: plan.b.sql } : recreatedChange(plan.a, plan.b);
        const deletes = plan.kind === 'recreated' ? this.countRows('main', plan.a) : 0;
        return outline(plan.b, [change], { changes: 0, inserts, deletes, unchanged: 0 });
      }
      case 'compared':
        return this.compareTable(plan, indexes, triggers);
    }
  }

  private async compareTable(
    plan: Extract<TablePlan, { kind: 'compared' }>,
    indexes: ObjectChanges,
    triggers: ObjectChanges,
  ): Promise<Omit<TableDiff, 'rows'>> {
    const { a, b } = plan;
    for (const definition of plan.alterDefinitions) this.write(alterAddColumnStatement(plan.name, definition));
    for (const index of [...indexes.dropped, ...indexes.changed.map(([old]) => old)]) this.write(dropStatement('index', index.name));

    const pages = comparePages(this.pair.pages, a.rootPage, b.rootPage, a.withoutRowid);
    const rowsA = pages.kind === 'unknown' ? this.countRows('main', a) : pages.kind === 'identical' ? pages.rows : pages.rowsA;
    let counts = { deletes: 0, updates: 0, inserts: 0 };
    if (pages.kind !== 'identical') {
      const scope: RowScope = pages.kind === 'rowids' && a.rowidName !== null ? rowScope(a, pages.rowids) : { kind: 'all' };
      const toSuspend = triggers.same.filter((t) => t.tableName === plan.name);
      const write = this.rowWriter(b);
      let first = true;
      const emit =
        write &&
        ((change: RowChange) => {
          if (first) {
            first = false;
            for (const trigger of toSuspend) this.write(dropStatement('trigger', trigger.name));
            this.suspendedTriggers.push(...toSuspend);
          }
          write(change);
        });
      counts = await compareRows(this.pair, a, b, plan.addedColumns, scope, () => this.pause(), emit);
    }
    for (const index of [...indexes.added, ...indexes.changed.map(([, now]) => now)]) this.write(createStatement(index.sql));

    const schemaChanges: SchemaChange[] = [
      ...(plan.alterDefinitions.length > 0 ? [{ kind: 'columns-added' as const, columns: plan.addedColumns.map((c) => c.info) }] : []),
      ...objectSchemaChanges(indexes),
    ];
    const summary = { changes: counts.updates, inserts: counts.inserts, deletes: counts.deletes, unchanged: rowsA - counts.deletes - counts.updates };
    return outline(b, schemaChanges, summary);
  }

  /** Hands a table's row changes to the output as rows and/or SQL; undefined if nobody listens. */
  private rowWriter(table: TableSchema): ((change: RowChange) => void) | undefined {
    const { row, sql } = this.output;
    if (!row && !sql) return undefined;
    return (change) => {
      row?.(table.name, change);
      if (sql) this.write(statementFor(table, change, this.pair.encoding));
    };
  }

  private countRows(schema: 'main' | 'aux', table: TableSchema): number {
    const [result] = this.pair.db.exec(`SELECT count(*) FROM ${schema}.${quotedIdentifier(table.name)}`);
    return Number(result?.values[0]?.[0] ?? 0);
  }

  private write(text: string): void {
    if (!this.output.sql) return;
    this.pending.push(text);
    this.pendingChars += text.length;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0 || !this.output.sql) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    await this.output.sql(text);
  }

  private async pause(): Promise<void> {
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
    throwIfAborted(this.options.signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfAborted(this.options.signal);
  }
}

function rowScope(table: TableSchema, { onlyA, onlyB, changed }: RowidChanges): RowScope {
  if (table.keyIsRowid) return { kind: 'exact', deletes: onlyA, updates: changed, inserts: onlyB };
  return { kind: 'candidates', rowidsA: mergeSorted(onlyA, changed), rowidsB: mergeSorted(onlyB, changed) };
}

function mergeSorted(x: Rowid[], y: Rowid[]): Rowid[] {
  const merged: Rowid[] = [];
  let j = 0;
  for (const value of x) {
    while (j < y.length && y[j]! < value) merged.push(y[j++]!);
    merged.push(value);
  }
  while (j < y.length) merged.push(y[j++]!);
  return merged;
}

function statementFor(table: TableSchema, change: RowChange, encoding: TextEncoding): string {
  switch (change.kind) {
    case 'delete':
      return deleteStatement(table.name, change.key, encoding);
    case 'update':
      return updateStatement(table.name, table.columns, change, encoding);
    case 'insert':
      return insertStatement(table, change.key, change.values, encoding);
  }
}

function recreatedChange(a: TableSchema, b: TableSchema): SchemaChange {
  const namesOf = (t: TableSchema) => new Set(t.columns.map((c) => c.name.toLowerCase()));
  const [inA, inB] = [namesOf(a), namesOf(b)];
  return {
    kind: 'table-recreated',
    oldSql: a.sql,
    newSql: b.sql,
    droppedColumns: a.columns.filter((c) => !inB.has(c.name.toLowerCase())).map((c) => c.name),
    addedColumns: b.columns.filter((c) => !inA.has(c.name.toLowerCase())).map((c) => c.name),
  };
}

function outline(table: TableSchema, schemaChanges: SchemaChange[], summary: TableSummary): Omit<TableDiff, 'rows'> {
  return { table: table.name, columns: table.columns, schemaChanges, summary };
}

/** The table a trigger change belongs to (the trigger's table in B, else in A). */
function triggerTable(change: SchemaChange, a: DatabaseSchema, b: DatabaseSchema): string | undefined {
  if (!('name' in change)) return undefined;
  const find = (s: DatabaseSchema) => s.objects.find((o) => o.type === 'trigger' && o.name === change.name)?.tableName;
  return find(b) ?? find(a);
}
