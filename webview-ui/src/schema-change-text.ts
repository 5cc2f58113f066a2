// Words for one schema change: a short label, a one-line detail for the grid line and the full
// SQL for its tooltip.
import type { ColumnInfo, SchemaChange } from '../../src/core/diff/types';

export interface SchemaChangeText {
  label: string;
  detail: string;
  full: string;
}

export function schemaChangeText(change: SchemaChange): SchemaChangeText {
  switch (change.kind) {
    case 'table-added':
      return withSql('Table added', change.sql);
    case 'table-dropped':
      return withSql('Table dropped', change.sql);
    case 'columns-added': {
      const detail = change.columns.map(columnDefinition).join(', ');
      return { label: change.columns.length === 1 ? 'Column added' : 'Columns added', detail, full: detail };
    }
    case 'table-recreated':
      return changed('Table redefined', change.oldSql, change.newSql);
    case 'index-added':
    case 'view-added':
    case 'trigger-added':
      return withSql(`${objectKind(change.kind)} added: ${change.name}`, change.sql);
    case 'index-dropped':
    case 'view-dropped':
    case 'trigger-dropped':
      return withSql(`${objectKind(change.kind)} dropped: ${change.name}`, change.sql);
    case 'index-changed':
    case 'view-changed':
    case 'trigger-changed':
      return changed(`${objectKind(change.kind)} changed: ${change.name}`, change.oldSql, change.newSql);
  }
}

/** Label and detail as searchable words. */
export function describeSchemaChange(change: SchemaChange): string[] {
  const text = schemaChangeText(change);
  return [text.label, text.full];
}

function withSql(label: string, sql: string): SchemaChangeText {
  return { label, detail: oneLine(sql), full: sql };
}

function changed(label: string, oldSql: string, newSql: string): SchemaChangeText {
  return { label, detail: `${oneLine(oldSql)}  →  ${oneLine(newSql)}`, full: `Before:\n${oldSql}\n\nAfter:\n${newSql}` };
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

function objectKind(kind: string): string {
  const word = kind.slice(0, kind.indexOf('-'));
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function columnDefinition(column: ColumnInfo): string {
  const parts = [column.name];
  if (column.type !== '') parts.push(column.type);
  if (column.notNull) parts.push('NOT NULL');
  if (column.defaultSql !== null) parts.push(`DEFAULT ${column.defaultSql}`);
  return parts.join(' ');
}
