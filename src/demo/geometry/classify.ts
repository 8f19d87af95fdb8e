/** How a 乡级 unit is laid out: urban streets sit in the core, towns and zones around it. */
export type StreetKind = 'urban' | 'town' | 'zone';

/** How a 村级 unit is laid out and how many grids it gets. */
export type CommunityKind = 'urban' | 'town' | 'village' | 'zone';

const ZONE = /(开发区|产业园|工业园|虚拟社区|矿区)/;

/** Kind of a 乡级 unit from its name: 街道 urban, 镇/乡/苏木 town, anything else (开发区, 产业园) zone. */
export function classifyStreet(name: string): StreetKind {
  if (name.endsWith('街道')) return 'urban';
  if (name.endsWith('镇') || name.endsWith('乡') || name.endsWith('苏木')) return 'town';
  return 'zone';
}

/** Kind of a 村级 unit from its name and its street's kind. */
export function classifyCommunity(name: string, street: StreetKind): CommunityKind {
  if (ZONE.test(name)) return 'zone';
  if (/(村委会|村民委员会|嘎查委员会)$/.test(name)) return 'village';
  return street === 'urban' ? 'urban' : 'town';
}

/** Grid-count range per community kind: dense urban communities get the most grids. */
export const GRID_RANGE: Readonly<Record<CommunityKind, readonly [number, number]>> = {
  urban: [6, 12],
  town: [4, 8],
  village: [2, 4],
  zone: [2, 4],
};

/** Short display name: 和平社区居委会 → 和平社区, 新地村委会 → 新地村. */
export function shortCommunityName(name: string): string {
  return name
    .replace(/(村民委员会|村委会)$/, '村')
    .replace(/(居民委员会|居委会)$/, '');
}
