import { AppError } from '../errors.js';

/** Problems in the shapes themselves. */
export const GEOMETRY_PROBLEMS = [
  'not_feature_collection',
  'empty_collection',
  'too_many_features',
  'not_a_feature',
  'unsupported_geometry',
  'malformed_coordinates',
  'coordinate_out_of_range',
  'ring_not_closed',
  'ring_too_short',
  'self_intersection',
  'ring_intersection',
  'hole_outside_shell',
  'parts_overlap',
  'zero_area',
  'grid_overlap',
] as const;

/** Problems in how features map to communities and codes. */
export const MAPPING_PROBLEMS = [
  'missing_community',
  'unknown_community',
  'invalid_code',
  'duplicate_code',
  'code_exists',
  'invalid_name',
  'serial_exhausted',
  'community_uncovered',
  'outside_community',
] as const;

export type ProblemCode = (typeof GEOMETRY_PROBLEMS)[number] | (typeof MAPPING_PROBLEMS)[number];

/**
 * One thing wrong with an import. `feature` is the 0-based index in the FeatureCollection
 * (null for the collection as a whole), `ring` the 0-based ring within the feature (rings of a
 * MultiPolygon counted across its polygons, outer rings included).
 */
export interface Problem {
  feature: number | null;
  ring?: number;
  code: ProblemCode;
  message: string;
  /** The other feature of a pairwise problem (overlap, duplicate code). */
  otherFeature?: number;
  /** The existing grid a feature clashes with. */
  otherGrid?: string;
  /** Set when the problem is in the `communityPolygons` option rather than in the grids. */
  source?: 'communityPolygons';
}

// A broken file can yield a problem per vertex; the first few hundred are enough to fix it.
const MAX_REPORTED = 500;

const byFeature = (a: Problem, b: Problem) => (a.feature ?? -1) - (b.feature ?? -1) || (a.ring ?? -1) - (b.ring ?? -1);

/**
 * The error an import with problems fails with: invalid_geometry when every problem is about
 * shapes, import_failed otherwise; `details.problems` is sorted by feature and ring.
 */
export function problemsError(problems: Problem[]): AppError {
  const sorted = [...problems].sort(byFeature);
  const geometryOnly = sorted.every((p) => (GEOMETRY_PROBLEMS as readonly string[]).includes(p.code));
  const first = sorted[0];
  const where = first.feature === null ? 'the collection' : `feature ${first.feature}`;
  const message = `${problems.length} problem(s) in the grid file; first: ${where}: ${first.message}`;
  return new AppError(geometryOnly ? 'invalid_geometry' : 'import_failed', message, {
    problems: sorted.slice(0, MAX_REPORTED),
    total: problems.length,
    truncated: problems.length > MAX_REPORTED,
  });
}
