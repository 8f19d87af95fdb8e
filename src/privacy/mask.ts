/** Masks a phone number to its first 3 and last 4 digits: 13812345678 → 138****5678. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.includes('*')) return phone; // already masked (as stored)
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** Masks a person's name to its first character: 张三丰 → 张**. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const chars = [...name.trim()];
  if (chars.length === 0) return null;
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Masks an 18-digit ID number to its first 6 and last 4 characters. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return null;
  if (id.includes('*')) return id; // already masked (as stored)
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}
