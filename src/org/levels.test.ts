import { describe, expect, it } from 'vitest';
import { parseCodeLayout } from '../config.js';
import { validateOrgCode } from './levels.js';

const layout = parseCodeLayout('6,3,3,3');

describe('org codes', () => {
  it('accepts the GB/T 2260 + statistical layout: 6, 9, 12 and 15 digits, each extending its parent', () => {
    expect(() => validateOrgCode(layout, 'district', '150302', '150300')).not.toThrow();
    expect(() => validateOrgCode(layout, 'street', '150302001', '150302')).not.toThrow();
    expect(() => validateOrgCode(layout, 'community', '150302001002', '150302001')).not.toThrow();
    expect(() => validateOrgCode(layout, 'grid', '150302001002007', '150302001002')).not.toThrow();
  });

  it('names the problem: wrong width, non-digits, not under the parent', () => {
    expect(() => validateOrgCode(layout, 'grid', '15030200100200', '150302001002')).toThrow(/15 digits/);
    expect(() => validateOrgCode(layout, 'street', '15030200A', '150302')).toThrow(/9 digits/);
    expect(() => validateOrgCode(layout, 'community', '150303001002', '150302001')).toThrow(/start with/);
  });

  it('follows a configured layout (the national split is unverified)', () => {
    const beijing = parseCodeLayout('6,3,3,4');
    expect(() => validateOrgCode(beijing, 'grid', '1103020010020001', '110302001002')).not.toThrow();
    expect(() => validateOrgCode(beijing, 'grid', '110302001002001', '110302001002')).toThrow(/16 digits/);
    expect(() => parseCodeLayout('6,3,3')).toThrow(/four digit counts/);
    expect(() => parseCodeLayout('6,x,3,3')).toThrow();
  });
});
