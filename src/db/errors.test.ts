import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { translateDbError } from './errors.js';

const codeOf = (err: unknown) => (isAppError(err) ? err.code : 'unchanged');

describe('translateDbError', () => {
  it('turns a lost or unreachable store into database_unavailable (503)', () => {
    for (const err of [
      { code: '57P01', message: 'terminating connection due to administrator command' },
      { code: '57P03', message: 'the database system is starting up' },
      { code: '08006', message: 'connection failure' },
      { code: '53300', message: 'sorry, too many clients already' },
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      { code: 'SQLITE_BUSY', message: 'database is locked' },
    ]) {
      const out = translateDbError(err);
      expect(codeOf(out), JSON.stringify(err) + String(err)).toBe('database_unavailable');
      expect(isAppError(out) && out.status).toBe(503);
    }
  });

  it('keeps constraint errors as domain errors and leaves everything else alone', () => {
    expect(codeOf(translateDbError({ code: '23505', message: 'duplicate key' }))).toBe('already_exists');
    expect(codeOf(translateDbError({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: 'FOREIGN KEY constraint failed' }))).toBe('validation_failed');
    expect(codeOf(translateDbError({ code: '22P02', message: 'invalid input syntax for type integer' }))).toBe('unchanged');
    expect(codeOf(translateDbError(new TypeError('x is undefined')))).toBe('unchanged');
  });
});
