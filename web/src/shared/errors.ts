import { i18n } from './i18n';
import { ApiFailure } from './api/client';

/** A failed call in words for the user: known codes translated, others with the server's message. */
export function errorText(err: unknown): string {
  const t = i18n.global.t;
  if (err instanceof ApiFailure) {
    if (err.code === 'network_error') return t('errors.network_error');
    if (err.code === 'version_conflict') return t('errors.version_conflict');
    if (err.status === 401) return t('errors.unauthorized');
    if (err.status === 403) return t('errors.forbidden');
    if (err.code === 'validation_failed') return t('errors.validation_failed', { message: err.message });
    return t('errors.generic', { message: err.message });
  }
  return t('errors.generic', { message: err instanceof Error ? err.message : String(err) });
}
