import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * SQL lives only in repositories (docs/ARCHITECTURE.md, STYLE principle 5): services, routes and
 * commands call repository methods. This keeps it so: any query builder call or raw `sql` template
 * in a non-repository source file fails here. The dialect helper and the migrations are the only
 * other homes of SQL.
 */
const SRC = path.resolve(import.meta.dirname, '../src');
const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(|\bsql(<[^>]*>)?`/;
const ALLOWED = (rel: string) => rel.endsWith('.repository.ts') || rel.startsWith('db/migrations/') || rel === 'db/dialect.ts' || rel.endsWith('.test.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('SQL only in repositories', () => {
  it('finds no query outside a repository, the dialect helper and the migrations', () => {
    const offenders = sources(SRC)
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
      .filter((rel) => !ALLOWED(rel))
      .flatMap((rel) => readFileSync(path.join(SRC, rel), 'utf8').split('\n').flatMap((line, i) => (QUERY.test(line) ? [`${rel}:${i + 1}: ${line.trim()}`] : [])));
    expect(offenders).toEqual([]);
  });

  it('recognises a query when it sees one', () => {
    expect(QUERY.test("await ctx.db.selectFrom('departments')")).toBe(true);
    expect(QUERY.test('await sql`select 1`.execute(db)')).toBe(true);
    expect(QUERY.test('sql<number>`count(*)`')).toBe(true);
    expect(QUERY.test('const selectFromList = 1')).toBe(false);
  });
});
