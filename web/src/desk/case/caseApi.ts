import { api, ApiFailure, unwrap } from '../../shared/api/client';
import type { paths } from '../../shared/api/schema';

/** Reads of the case page, all through the typed client. */
export const readCase = (id: number) => unwrap(api.GET('/api/v1/cases/{id}', { params: { path: { id } } }));
export const readTimeline = (id: number) => unwrap(api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id } } }));
export const readDuplicates = (id: number) => unwrap(api.GET('/api/v1/cases/{id}/duplicates', { params: { path: { id } } }));
export const readGrids = (parent: string) => unwrap(api.GET('/api/v1/grids.geojson', { params: { query: { parent } } }));

export type CaseDetail = Awaited<ReturnType<typeof readCase>>;
export type TransitionBody = paths['/api/v1/cases/{id}/transitions']['post']['requestBody']['content']['application/json'];

/** Takes a workflow action at the version read; a 409 version_conflict comes back as ApiFailure. */
export const transition = (id: number, body: TransitionBody) => unwrap(api.POST('/api/v1/cases/{id}/transitions', { params: { path: { id } }, body }));

/** Uploads one photo (multipart field "file") in a phase: before, after or other. */
export async function uploadPhoto(caseId: number, file: File, phase: 'before' | 'after' | 'other'): Promise<void> {
  const data = new FormData();
  data.append('file', file);
  let res: Response;
  try {
    res = await fetch(`/api/v1/cases/${caseId}/attachments?phase=${phase}`, { method: 'POST', body: data, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'network_error', 'network error');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiFailure(res.status, body.error ?? `http_${res.status}`, body.message ?? res.statusText);
  }
}
