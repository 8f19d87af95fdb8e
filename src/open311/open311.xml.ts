/**
 * GeoReport v2 XML from the same values the JSON responses carry, by the spec's conversion rules
 * (JSON_and_XML_Conversion.md): an array is a wrapper element holding one element per item, named
 * by the singular below; null is an empty element; booleans are `true`/`false`.
 */

/** Every array-valued field the adapter emits, with the element name of its items. */
export const XML_ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  notes: 'note',
  photos: 'photo',
  groups: 'group',
};

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeText(text: string): string {
  return text.replace(INVALID_XML_CHARS, '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function element(name: string, value: XmlValue): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = XML_ITEM_NAMES[name] ?? 'item';
    return value.length === 0 ? `<${name}/>` : `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    // An undefined member is left out, as JSON.stringify leaves it out.
    return `<${name}>${Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** A whole XML document: the UTF-8 declaration, then `root` holding `value`. */
export function toXmlDocument(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}\n`;
}
