import { Type } from 'typebox';
import { Nullable } from '../http/schemas.js';

/** A reach's latest measured water-quality class (GB 3838) and whether it meets the reach's target. */
export const ReachQualityOut = Type.Object({
  waterClass: Type.String(), label: Type.String(), at: Nullable(Type.String({ description: 'the sample it was measured on' })),
  meetsTarget: Nullable(Type.Boolean()),
}, { description: 'null before any water-quality station sampled the reach' });
