/**
 * 隐患排查治理 figures of a set of hazards and inspections (pure): found, 重大, rectified
 * (验收通过 or 销号), rectified by the deadline, 销号, open, overdue (open past the deadline), the
 * rates, and inspections required and done.
 */
export interface HazardFacts {
  major: boolean;
  /** 验收 passed (acceptance_passed or closed). */
  rectified: boolean;
  /** Rectification reported (handled_at) by the case's deadline (a 重大隐患's is its plan's). */
  onTime: boolean;
  closed: boolean;
  open: boolean;
  overdue: boolean;
}

export interface HazardFigures {
  found: number;
  major: number;
  rectified: number;
  majorRectified: number;
  rectifiedOnTime: number;
  closed: number;
  open: number;
  overdue: number;
  /** 隐患整改率: rectified / found. */
  rectificationRate: number | null;
  /** 重大隐患整改率: rectified 重大 / 重大. */
  majorRectificationRate: number | null;
  /** 按期整改率: rectified by the deadline / rectified. */
  onTimeRate: number | null;
  inspectionsRequired: number;
  inspectionsDone: number;
  inspectionRate: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** Sums hazards and inspection figures into the KPI set. */
export function hazardFigures(hazards: readonly HazardFacts[], inspections: { required: number; done: number } = { required: 0, done: 0 }): HazardFigures {
  const count = (f: (h: HazardFacts) => boolean) => hazards.filter(f).length;
  const found = hazards.length;
  const major = count((h) => h.major);
  const rectified = count((h) => h.rectified);
  const majorRectified = count((h) => h.major && h.rectified);
  const rectifiedOnTime = count((h) => h.rectified && h.onTime);
  return {
    found, major, rectified, majorRectified, rectifiedOnTime,
    closed: count((h) => h.closed), open: count((h) => h.open), overdue: count((h) => h.overdue),
    rectificationRate: ratio(rectified, found), majorRectificationRate: ratio(majorRectified, major), onTimeRate: ratio(rectifiedOnTime, rectified),
    inspectionsRequired: inspections.required, inspectionsDone: inspections.done, inspectionRate: ratio(inspections.done, inspections.required),
  };
}

/** The facts of one hazard case from its columns, at `now`. */
export function hazardFacts(c: { status: string; attributes: Record<string, unknown>; handled_at: string | null; closed_at: string | null; deadline: string | null }, now: Date): HazardFacts {
  const rectified = c.status === 'acceptance_passed' || c.status === 'closed';
  const open = c.closed_at === null;
  return {
    major: c.attributes.hazardLevel === 'major',
    rectified,
    onTime: rectified && c.handled_at !== null && (c.deadline === null || c.handled_at <= c.deadline),
    closed: c.status === 'closed',
    open,
    overdue: open && c.deadline !== null && c.deadline < now.toISOString(),
  };
}
