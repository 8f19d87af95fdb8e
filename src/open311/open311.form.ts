import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { refuseNul } from '../http/input.js';

/** Form fields by name, every value kept (a name may repeat: `attribute[CODE][]`, `media_url[]`). */
export type FormFields = Record<string, string[]>;

/** A file sent in a multipart POST (`media`, or FixMyStreet's `photo1` … `photoN`). */
export interface FormFile {
  field: string;
  filename: string;
  bytes: Buffer;
}

/** Parses an application/x-www-form-urlencoded body (UTF-8, `+` as space) into FormFields. */
export function parseFormBody(text: string): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of new URLSearchParams(text)) (fields[name] ??= []).push(value);
  return fields;
}

/**
 * Query-string parameters, or an already parsed body (a JSON object from a lenient client), as
 * FormFields: strings, numbers and booleans become text; nested objects are dropped.
 */
export function queryFields(query: unknown): FormFields {
  const fields: FormFields = {};
  if (!query || typeof query !== 'object' || Array.isArray(query)) return fields;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    fields[name] = values.filter((v) => ['string', 'number', 'boolean'].includes(typeof v)).map(String);
  }
  return fields;
}

/**
 * The value of a single-valued parameter; an empty parameter is treated exactly like an absent
 * one (spec §1.1). A repeated name keeps its last value.
 */
export function field(fields: FormFields, name: string): string | undefined {
  const values = fields[name];
  const value = values?.[values.length - 1]?.trim();
  return value ? value : undefined;
}

/** Every non-empty value of a repeatable parameter (`name` and `name[]`). */
export function fieldList(fields: FormFields, name: string): string[] {
  return [...(fields[name] ?? []), ...(fields[`${name}[]`] ?? [])].map((v) => v.trim()).filter(Boolean);
}

/**
 * The `attribute[CODE]` and `attribute[CODE][]` fields by code: single values as strings, the
 * `[]` form (multivaluelist) as an array.
 */
export function attributeFields(fields: FormFields): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(fields)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(name);
    if (!m) continue;
    const code = m[1];
    if (m[2]) out[code] = [...(Array.isArray(out[code]) ? out[code] : []), ...values];
    else if (!Array.isArray(out[code])) out[code] = values.length > 1 ? values : values[0];
  }
  return out;
}

/**
 * Reads a POST body: form-urlencoded (parsed by the plugin's content-type parser) or multipart,
 * whose file fields are returned separately. Throws validation_failed, payload_too_large.
 */
export async function readPostBody(request: FastifyRequest, limits: { maxFileBytes: number; maxFiles: number }): Promise<{ fields: FormFields; files: FormFile[] }> {
  if (!request.isMultipart()) {
    return { fields: queryFields(request.body), files: [] };
  }
  const fields: FormFields = {};
  const files: FormFile[] = [];
  for await (const part of request.parts({ limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 200 } })) {
    if (part.type === 'field') {
      (fields[part.fieldname] ??= []).push(typeof part.value === 'string' ? part.value : String(part.value));
      continue;
    }
    const bytes = await part.toBuffer();
    if (part.file.truncated) throw new AppError('payload_too_large', `media files are limited to ${limits.maxFileBytes} bytes`, { field: part.fieldname });
    if (bytes.length > 0 && /^(media|photo\d*)(\[\])?$/.test(part.fieldname)) files.push({ field: part.fieldname, filename: part.filename || 'media', bytes });
  }
  // Multipart fields are read here, after the app's input guards: hold them to the same rule.
  refuseNul(fields, 'body');
  return { fields, files };
}
