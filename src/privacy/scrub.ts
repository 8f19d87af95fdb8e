/**
 * Scrubbing of personal data from free text before it reaches the public (Open311 readers, the
 * updates feed). Numbers are masked in place, not removed, so the sentence still reads:
 * "已电话联系 13700001111" → "已电话联系 137****1111".
 *
 * What is masked, in this order (an earlier kind wins where two overlap):
 * - e-mail addresses: the local part after its first character (`z***@163.com`);
 * - resident ID numbers (GB 11643): 18 characters with a valid ISO 7064 MOD 11-2 check digit, a
 *   province code and a birth date; and the old 15-digit form (birth year 1920–1999) — first 3 and
 *   last 4 kept;
 * - bank-card-like numbers: 13–19 digits starting 3–6 or 9, plain or in groups of four, passing
 *   the Luhn check — first 4 and last 4 kept;
 * - mainland mobile numbers (1[3-9]x, with or without +86 and separators) — first 3, last 4 kept;
 * - landlines with an area code (010, 02x, 0xxx; parentheses and an extension allowed) — the area
 *   code and the last 4 digits kept.
 * Full-width digits and signs count as their ASCII forms. A number glued to letters or other
 * digits (case numbers such as WH20261126000123, grid codes, dates, amounts) is not a match.
 */

/** One span of the text to replace. */
interface Span {
  start: number;
  end: number;
  replacement: string;
}

// Neither a digit nor an ASCII letter on either side: numbers inside codes do not match.
const L = '(?<![0-9A-Za-z])';
const R = '(?![0-9A-Za-z])';
const DATE = '(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
const AREA = '0(?:10|2\\d|[3-9]\\d{2})';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const ID18 = new RegExp(`${L}[1-8]\\d{5}(?:18|19|20)\\d{2}${DATE}\\d{3}[0-9Xx]${R}`, 'g');
const ID15 = new RegExp(`${L}[1-8]\\d{5}[2-9]\\d${DATE}\\d{3}${R}`, 'g');
const CARD = new RegExp(`${L}(?:[3-69]\\d{12,18}|[3-69]\\d{3}(?:[ -]\\d{4}){2,3}(?:[ -]\\d{1,3})?)${R}`, 'g');
const MOBILE = new RegExp(`${L}(?:(?:\\+|00)?86[ -]?)?(1[3-9]\\d(?:[ -]?\\d{4}){2})${R}`, 'dg');
const LANDLINE = new RegExp(`${L}(?:\\(${AREA}\\)|${AREA})[ -]?([2-9]\\d{6,7})${R}`, 'dg');

/** Full-width ASCII forms (０-９, ＋, －, ＠, （…）) as ASCII, one UTF-16 unit for one, so indexes line up. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Masks the digits (and an ID's check letter) of `original` except the first `head` and last `tail`. */
function maskDigits(original: string, head: number, tail: number): string {
  const isDigit = (c: string) => /[0-9Xx]/.test(halfWidth(c));
  const total = [...original].filter(isDigit).length;
  let seen = 0;
  return [...original].map((c) => {
    if (!isDigit(c)) return c;
    seen += 1;
    return seen <= head || seen > total - tail ? c : '*';
  }).join('');
}

/** Whether an 18-character ID number carries a valid GB 11643 check character. */
export function validIdCheckDigit(id: string): boolean {
  if (!/^\d{17}[0-9Xx]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17].toUpperCase();
}

/** Whether a digit string passes the Luhn check (bank cards). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function spansOf(norm: string, original: string): Span[] {
  const spans: Span[] = [];
  const free = (start: number, end: number) => spans.every((s) => end <= s.start || start >= s.end);
  const add = (start: number, end: number, replacement: string) => {
    if (free(start, end)) spans.push({ start, end, replacement });
  };
  for (const m of norm.matchAll(EMAIL)) {
    const at = m[0].indexOf('@');
    const s = m.index;
    add(s, s + m[0].length, `${original.slice(s, s + 1)}***${original.slice(s + at, s + m[0].length)}`);
  }
  for (const m of norm.matchAll(ID18)) {
    if (validIdCheckDigit(m[0])) add(m.index, m.index + 18, maskDigits(original.slice(m.index, m.index + 18), 3, 4));
  }
  for (const m of norm.matchAll(ID15)) add(m.index, m.index + 15, maskDigits(original.slice(m.index, m.index + 15), 3, 4));
  for (const m of norm.matchAll(CARD)) {
    const end = m.index + m[0].length;
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) add(m.index, end, maskDigits(original.slice(m.index, end), 4, 4));
  }
  for (const [pattern, head] of [[MOBILE, 3], [LANDLINE, 0]] as const) {
    for (const m of norm.matchAll(pattern)) {
      const [start, end] = m.indices?.[1] ?? [m.index, m.index + m[0].length];
      if (free(m.index, m.index + m[0].length)) add(start, end, maskDigits(original.slice(start, end), head, 4));
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * The text with phone numbers, ID numbers, e-mail addresses and bank-card numbers masked, for
 * anything shown to the public. Null stays null. Never throws.
 */
export function scrubText(text: string): string;
export function scrubText(text: string | null): string | null;
export function scrubText(text: string | null): string | null {
  if (text === null || text === '') return text;
  const spans = spansOf(halfWidth(text), text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return out + text.slice(at);
}
