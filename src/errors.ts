/**
 * The closed catalogue of error codes. Every error a client can see has one of these codes;
 * the HTTP status lives here too so that domain code never speaks HTTP.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  unknown_field: 400,
  invalid_coordinates: 400,
  invalid_geometry: 422,
  import_failed: 422,
  outside_jurisdiction: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  org_unit_not_found: 404,
  category_not_found: 404,
  department_not_found: 404,
  user_not_found: 404,
  case_not_found: 404,
  attachment_not_found: 404,
  routing_rule_not_found: 404,
  device_not_found: 404,
  alarm_rule_not_found: 404,
  reach_not_found: 404,
  indicator_not_found: 404,
  warning_not_found: 404,
  conflict: 409,
  already_exists: 409,
  warning_active: 409,
  version_conflict: 409,
  transition_not_allowed: 409,
  already_evaluated: 409,
  /** 信访: a 复查/复核 request after its 30-day window. */
  window_closed: 422,
  /** 信访: the same matter after 复核 is not accepted again. */
  not_reacceptable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  config_invalid: 500,
  // CLI only (gridloop backup / restore): never answered over HTTP.
  backup_failed: 500,
  internal_error: 500,
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A domain error with a stable machine code, a human message and optional details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
