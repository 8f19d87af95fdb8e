import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { ErrorBody, Nullable, StringEnum } from '../http/schemas.js';
import { AqiInputError, computeAqi } from './aqi.js';

const Conc = (description: string) => Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description }));

const AqiQuery = Type.Object({
  period: StringEnum(['hour', 'day'] as const),
  pm25: Conc('μg/m³ (24-hour table also for hourly values)'),
  pm10: Conc('μg/m³'),
  so2: Conc('μg/m³, 1-hour or 24-hour average'),
  no2: Conc('μg/m³'),
  o3: Conc('μg/m³: hour = 1-hour value; day = highest 8-hour moving average'),
  co: Conc('mg/m³'),
  o3_1h: Conc('day: highest 1-hour O3 (μg/m³)'),
  so2_24h: Conc('hour: 24-hour SO2, needed when the 1-hour value exceeds 800'),
}, { additionalProperties: false });

const AqiOut = Type.Object({
  aqi: Nullable(Type.Integer()),
  primaryPollutant: Nullable(Type.String({ description: 'null when the AQI is 50 or below; several joined by commas' })),
  primaryPollutants: Type.Array(Type.String()),
  level: Nullable(Type.Object({ grade: Type.Integer(), name: Type.String({ description: '优 良 轻度污染 中度污染 重度污染 严重污染' }), color: Type.String() })),
  iaqi: Type.Record(Type.String(), Type.Integer()),
});

/** Air quality maths (HJ 633-2012), public like /calendar/deadline: it exposes only the standard's arithmetic. */
export const airRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify) => {
  fastify.get('/air/aqi', {
    schema: {
      operationId: 'computeAqi',
      tags: ['sensors'],
      summary: 'AQI, primary pollutant, level and IAQI per pollutant of hourly or daily concentrations (HJ 633-2012; public)',
      security: [],
      querystring: AqiQuery,
      response: { 200: AqiOut, 400: ErrorBody },
    },
  }, async (request) => {
    try {
      return computeAqi(request.query);
    } catch (err) {
      if (err instanceof AqiInputError) throw new AppError('validation_failed', err.message, { field: err.field });
      throw err;
    }
  });
};
