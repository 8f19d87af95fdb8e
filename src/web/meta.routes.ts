import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { orgRepository } from '../org/org.repository.js';

const MetaOut = Type.Object({
  city: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  timeZone: Type.String(),
});

/** What every page needs before sign-in: the city's name and the zone its dates are shown in. */
export const metaRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/meta', {
    schema: { operationId: 'getMeta', tags: ['system'], summary: 'The city this server runs, and its time zone (public)', security: [], response: { 200: MetaOut } },
  }, async () => {
    const city = await orgRepository.findByCode(app.store.db, app.config.cityCode);
    return { city: city ? { code: city.code, name: city.name } : null, timeZone: app.config.timeZone };
  });
};
