import { AppError } from '../errors.js';
import { containsHtml, validateAnswers, type Answer } from './open311.answers.js';
import type { Problem } from './open311.errors.js';
import { attributeFields, field, type FormFields } from './open311.form.js';
import type { Service } from './open311.services.js';

/** The longest description the spec allows. */
export const MAX_DESCRIPTION = 4000;

/**
 * A validated POST /requests, before it is located: everything needed to create the case, kept
 * as JSON in a batch token so that it survives a restart.
 */
export interface Submission {
  serviceCode: string;
  lon: number | null;
  lat: number | null;
  addressString: string | null;
  description: string;
  answers: Record<string, Answer>;
  reporterName: string | null;
  phone: string | null;
  email: string | null;
  deviceId: string | null;
  accountId: string | null;
  mediaUrl: string | null;
  clientRequestId: string | null;
  fixmystreetId: string | null;
}

const LIMITS: Record<string, number> = {
  address_string: 500, email: 254, phone: 40, first_name: 100, last_name: 100, device_id: 200, account_id: 200, media_url: 2000, client_request_id: 200,
};

function coordinate(text: string | undefined, name: 'lat' | 'long', problems: Problem[]): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  const max = name === 'lat' ? 90 : 180;
  if (!/^[+-]?\d+(\.\d+)?$/.test(text) || !Number.isFinite(n) || Math.abs(n) > max) {
    problems.push({ field: name, message: `${name} must be a WGS84 decimal number between -${max} and ${max}, got "${text.slice(0, 40)}"` });
    return null;
  }
  return n;
}

function limitedFields(fields: FormFields, problems: Problem[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, max] of Object.entries(LIMITS)) {
    const value = field(fields, name) ?? null;
    if (value !== null && value.length > max) problems.push({ field: name, message: `${name} must be at most ${max} characters` });
    out[name] = value;
  }
  return out;
}

/** Problems with contact fields (e-mail, phone, media URL, names and address free of HTML); the citizen portal checks the same. */
export function contactProblems(v: Record<string, string | null>): Problem[] {
  const problems: Problem[] = [];
  if (v.email && !/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(v.email)) problems.push({ field: 'email', message: 'email is not an e-mail address' });
  if (v.phone && !/^[+\d][\d\s()-]{2,39}$/.test(v.phone)) problems.push({ field: 'phone', message: 'phone may contain only digits, spaces, "+", "-" and brackets' });
  if (v.media_url && !/^https?:\/\/\S+$/.test(v.media_url)) problems.push({ field: 'media_url', message: 'media_url must be an http(s) URL' });
  for (const name of ['first_name', 'last_name', 'address_string'] as const) {
    if (v[name] && containsHtml(v[name] ?? '')) problems.push({ field: name, message: `${name} must not contain HTML` });
  }
  return problems;
}

/**
 * Validates a POST /requests body for `service`: a location (lat + long together, or
 * address_string), description length and no HTML, contact fields, and the service's attributes.
 * Throws validation_failed listing every problem found.
 */
export function parseSubmission(fields: FormFields, service: Service, timeZone: string): Submission {
  const problems: Problem[] = [];
  const v = limitedFields(fields, problems);
  const latText = field(fields, 'lat');
  const longText = field(fields, 'long');
  const lat = coordinate(latText, 'lat', problems);
  const lon = coordinate(longText, 'long', problems);
  if ((latText === undefined) !== (longText === undefined)) problems.push({ field: latText === undefined ? 'lat' : 'long', message: 'lat and long are always sent together' });
  if (latText === undefined && longText === undefined && !v.address_string) {
    const hint = field(fields, 'address_id') ? ' (address_id is not supported: this city has no master address repository)' : '';
    problems.push({ field: 'lat', message: `a location is required: lat and long, or address_string${hint}` });
  }
  const description = (fields.description?.[fields.description.length - 1] ?? '').trim();
  if (description.length > MAX_DESCRIPTION) problems.push({ field: 'description', message: `description must be at most ${MAX_DESCRIPTION} characters (got ${description.length})` });
  if (containsHtml(description)) problems.push({ field: 'description', message: 'description must be plain text: HTML and code are not accepted' });
  problems.push(...contactProblems(v));
  const { answers, problems: attributeProblems } = validateAnswers(service.questions, attributeFields(fields), timeZone);
  problems.push(...attributeProblems);
  if (problems.length > 0) throw new AppError('validation_failed', problems[0].message, { field: problems[0].field, problems });
  const name = [v.first_name, v.last_name].filter(Boolean).join(' ');
  const fms = attributeFields(fields).fixmystreet_id;
  return {
    serviceCode: service.code,
    lon: lat !== null && lon !== null ? lon : null,
    lat: lat !== null && lon !== null ? lat : null,
    addressString: v.address_string,
    description,
    answers,
    reporterName: name || null,
    phone: v.phone,
    email: v.email,
    deviceId: v.device_id,
    accountId: v.account_id,
    mediaUrl: v.media_url,
    clientRequestId: v.client_request_id,
    fixmystreetId: typeof fms === 'string' && fms.length <= 64 ? fms : null,
  };
}
