import { api, ApiFailure, unwrap } from '../shared/api/client';
import type { paths } from '../shared/api/schema';

export type ReportBody = paths['/api/v1/public/reports']['post']['requestBody']['content']['application/json'];
export type Created = paths['/api/v1/public/reports']['post']['responses']['201']['content']['application/json'];
export type Tracking = paths['/api/v1/track/{number}']['get']['responses']['200']['content']['application/json'];

/** Uploads one photo to a report with its upload token (multipart, field "file"). Throws ApiFailure. */
export async function uploadPhoto(number: string, token: string, file: File): Promise<void> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(`/api/v1/public/reports/${encodeURIComponent(number)}/photos`, { method: 'POST', body: form, headers: { 'x-upload-token': token }, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'network_error', 'network error');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiFailure(res.status, body.error ?? `http_${res.status}`, body.message ?? res.statusText);
  }
}

/** Submits a report, then its photos with the token it answered; photo failures are returned, not thrown. */
export async function submitReport(body: ReportBody, files: File[]): Promise<{ created: Created; uploaded: number; failed: { name: string; error: unknown }[] }> {
  const created = await unwrap(api.POST('/api/v1/public/reports', { body }));
  let uploaded = 0;
  const failed: { name: string; error: unknown }[] = [];
  for (const file of files.slice(0, created.photoLimit)) {
    try {
      await uploadPhoto(created.number, created.uploadToken, file);
      uploaded++;
    } catch (error) {
      failed.push({ name: file.name, error });
    }
  }
  return { created, uploaded, failed };
}

/** Tracks a report by number, with the phone's last 4 digits unless the caller is its signed-in reporter. */
export function trackReport(number: string, phone4: string | undefined): Promise<Tracking> {
  return unwrap(api.POST('/api/v1/track/{number}', { params: { path: { number } }, body: phone4 ? { phone4 } : {} }));
}

export function rateReport(number: string, phone4: string | undefined, solved: boolean, satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied'): Promise<Tracking> {
  return unwrap(api.POST('/api/v1/track/{number}/evaluation', { params: { path: { number } }, body: { ...(phone4 ? { phone4 } : {}), solved, satisfaction } }));
}

export function reopenReport(number: string, phone4: string | undefined, note: string): Promise<Tracking> {
  return unwrap(api.POST('/api/v1/track/{number}/reopen', { params: { path: { number } }, body: { ...(phone4 ? { phone4 } : {}), note } }));
}
