import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody, Page, PageQuery, StringEnum } from '../http/schemas.js';
import { LEVELS } from './levels.js';
import { orgRepository } from './org.repository.js';
import { getOrgUnitInScope } from './org.service.js';
import { presentOrgUnit } from './org.presenter.js';
import { importOrgUnits } from './org.import.js';
import { ImportBody } from '../grids/grid.schema.js';
import { GRID_IMPORT_BODY_LIMIT } from '../grids/grid.routes.js';

export const OrgUnitOut = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
});

const Level = StringEnum(LEVELS);

/** Org units: list (scoped to the actor's subtree) and one unit with its chain. */
export const orgRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/org-units', {
    schema: {
      operationId: 'listOrgUnits',
      tags: ['org'],
      summary: 'Org units in your area, by level and/or parent',
      querystring: Type.Object({ level: Type.Optional(Level), parent: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Page(OrgUnitOut), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'org.read');
    const { level, parent } = request.query;
    if (parent) await getOrgUnitInScope(ctx, parent);
    const page = { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
    const result = await orgRepository.list(ctx.db, ctx.actor.orgPath, { level, parent }, page);
    return { items: result.items.map(presentOrgUnit), total: result.total, ...page };
  });

  fastify.post('/org-units/import', {
    schema: {
      operationId: 'importOrgUnits',
      tags: ['org'],
      summary: 'Import districts, streets and communities with outlines (GeoJSON FeatureCollection); all or nothing, every problem listed by feature',
      querystring: Type.Object({ repair: Type.Optional(Type.Boolean()), replace: Type.Optional(Type.Boolean()), dryRun: Type.Optional(Type.Boolean()), toleranceM2: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7 })) }, { additionalProperties: false }),
      body: ImportBody,
      response: {
        200: Type.Object({
          dryRun: Type.Boolean(), imported: Type.Integer(), added: Type.Integer(), updated: Type.Integer(), outlines: Type.Integer(), removed: Type.Array(Type.String()),
          repairs: Type.Array(Type.Object({ feature: Type.Integer(), action: Type.String(), message: Type.String() })),
        }),
        400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 413: ErrorBody, 422: ErrorBody,
      },
    },
    bodyLimit: GRID_IMPORT_BODY_LIMIT,
    onRequest: async (request) => void ctxFor(app, request, 'org.write'),
  }, async (request) => {
    const ctx = ctxFor(app, request, 'org.write');
    return importOrgUnits(ctx, request.body, request.query);
  });

  fastify.get('/org-units/:code', {
    schema: {
      operationId: 'getOrgUnit',
      tags: ['org'],
      summary: 'One org unit with its chain up to the city',
      params: Type.Object({ code: Type.String({ pattern: '^\\d{4,20}$' }) }),
      response: { 200: Type.Object({ ...OrgUnitOut.properties, chain: Type.Array(OrgUnitOut) }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'org.read');
    const unit = await getOrgUnitInScope(ctx, request.params.code);
    const chain = await orgRepository.chain(ctx.db, unit.path);
    return { ...presentOrgUnit(unit), chain: chain.map(presentOrgUnit) };
  });
};
