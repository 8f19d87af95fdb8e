import { AppError } from '../errors.js';

interface DriverError {
  code?: string;
  message?: string;
  detail?: string;
}

// Errors that say the store cannot be reached or has ended the connection, not that the request
// is wrong: PostgreSQL classes 08 (connection exception) and 57P (admin shutdown, crash shutdown,
// cannot connect now), too many connections; socket errors; pg's own messages for a dead client;
// and SQLite's busy lock still held after busy_timeout.
const UNAVAILABLE_CODES = new Set(['53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']);
const UNAVAILABLE_MESSAGES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

function isUnavailable(e: DriverError): boolean {
  const code = e.code ?? '';
  return code.startsWith('08') || code.startsWith('57P') || UNAVAILABLE_CODES.has(code) || UNAVAILABLE_MESSAGES.test(e.message ?? '');
}

/**
 * Translates a database driver's constraint error (SQLite or PostgreSQL) into a domain error;
 * a lost or unreachable store becomes database_unavailable (503: retry later); anything else is
 * returned unchanged.
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
  if (isUnavailable(e)) return new AppError('database_unavailable', 'the database is unavailable, retry in a moment');
  return err;
}
