/** Property names that may carry a grid's community code, matched case-insensitively (DBF field names are often upper case and at most 10 characters). */
export const DEFAULT_COMMUNITY_KEYS = ['community', 'communityCode', 'community_code'];

/** The value of the first property whose name matches one of `keys`, ignoring case. */
export function propertyOf(properties: Record<string, unknown>, keys: string[]): unknown {
  const wanted = keys.map((k) => k.toLowerCase());
  for (const want of wanted) {
    for (const [key, value] of Object.entries(properties)) if (key.toLowerCase() === want) return value;
  }
  return undefined;
}
