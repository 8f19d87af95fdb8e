import { AppError } from '../errors.js';

interface DriverError {
  code?: string;
  message?: string;
  detail?: string;
}

/**
 * Translates a database driver's constraint error (SQLite or PostgreSQL) into a domain error;
 * anything else is returned unchanged.
 */
export function translateDbError(err: unknown): unknown {
  if (!err || typeof err !== 'object') return err;
  const e = err as DriverError;
  const message = e.message ?? '';
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AppError('already_exists', 'a record with the same unique key already exists', { constraint: e.detail ?? message });
  }
  if (e.code === '23503' || e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new AppError('validation_failed', 'a referenced record does not exist', { constraint: e.detail ?? message });
  }
  if (e.code === '23514' || e.code === 'SQLITE_CONSTRAINT_CHECK' || e.code === '23502' || e.code === 'SQLITE_CONSTRAINT_NOTNULL') {
    return new AppError('validation_failed', 'a value breaks a database constraint', { constraint: e.detail ?? message });
  }
  return err;
}
