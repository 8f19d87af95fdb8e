import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { ErrorBody, Nullable, StringEnum } from '../http/schemas.js';
import { classifyWater, WATER_PARAMETERS } from './water.class.js';

const Mg = (description: string) => Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: `${description}, mg/L` }));

const WaterQuery = Type.Object({
  waterBody: StringEnum(['river', 'lake'] as const, { description: 'lake = 湖、库: lake TP limits, TN counted' }),
  do: Mg('溶解氧 DO'),
  codmn: Mg('高锰酸盐指数 CODMn'),
  cod: Mg('化学需氧量 COD'),
  bod5: Mg('五日生化需氧量 BOD5'),
  nh3n: Mg('氨氮 NH3-N'),
  tp: Mg('总磷 TP'),
  tn: Mg('总氮 TN (lakes and reservoirs)'),
}, { additionalProperties: false });

const ClassEnum = StringEnum(['I', 'II', 'III', 'IV', 'V', '劣V'] as const);
const WaterOut = Type.Object({
  waterClass: Nullable(ClassEnum),
  label: Nullable(Type.String({ description: 'Ⅰ类 … 劣Ⅴ类' })),
  deciding: Type.Array(Type.String(), { description: 'the parameter(s) that set the class' }),
  classes: Type.Record(Type.String(), ClassEnum),
});

/** Water quality maths (GB 3838-2002), public: it exposes only the standard's limits. */
export const waterRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify) => {
  fastify.get('/water/class', {
    schema: {
      operationId: 'classifyWater',
      tags: ['sensors'],
      summary: 'The class (Ⅰ–Ⅴ, 劣Ⅴ) of a surface-water sample and the deciding parameter (GB 3838-2002 basic items; public)',
      security: [],
      querystring: WaterQuery,
      response: { 200: WaterOut, 400: ErrorBody },
    },
  }, async (request) => {
    const { waterBody, ...sample } = request.query;
    if (!WATER_PARAMETERS.some((p) => sample[p] !== undefined)) throw new AppError('validation_failed', `give at least one of ${WATER_PARAMETERS.join(', ')}`, { field: 'do' });
    return classifyWater(sample, waterBody);
  });
};
