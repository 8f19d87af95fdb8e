import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchemaValidationError } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { utf8BodyParser } from '../http/input.js';
import { validationError } from '../http/validation.js';
import { importGrids } from './grid.import.js';
import { locatePoint } from './grid.locate.js';
import { gridFeatureCollectionJson } from './grid.presenter.js';
import { GridFeatureCollectionOut, GridsQuery, ImportBody, ImportQuery, ImportReportOut, LocateOut, LocateQuery } from './grid.schema.js';
import { listGridShapes } from './grid.service.js';

/** Grid files are far larger than ordinary request bodies; only grid importers get past onRequest to send one. */
export const GRID_IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

/** A bad lon/lat becomes invalid_coordinates naming the field; other query mistakes keep their code. */
function coordinatesError(errors: FastifySchemaValidationError[]): AppError {
  const err = validationError(errors, 'querystring');
  const field = (err.details as { field?: string } | undefined)?.field;
  if (err.code !== 'validation_failed' || (field !== 'lon' && field !== 'lat')) return err;
  const range = field === 'lon' ? '-180 and 180' : '-90 and 90';
  return new AppError('invalid_coordinates', `${field} must be a number between ${range}`, { field });
}

/** Grid location, the grid map layer and grid import. */
export const gridRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.addContentTypeParser('application/geo+json', { parseAs: 'buffer' }, utf8BodyParser(fastify.getDefaultJsonParser('error', 'error')));

  fastify.get('/locate', {
    schema: {
      operationId: 'locatePoint',
      tags: ['grids'],
      summary: 'The grid (and its chain city → grid) at a WGS84 point; public geography, no login needed',
      security: [],
      querystring: LocateQuery,
      response: { 200: LocateOut, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    attachValidation: true,
  }, async (request) => {
    // Which grid holds a point is public (as in any city's published grid map): no actor needed.
    if (request.validationError) throw coordinatesError(request.validationError.validation);
    const result = locatePoint(app, request.query.lon, request.query.lat);
    return { ...result, chain: [...result.chain] };
  });

  fastify.get('/grids.geojson', {
    schema: {
      operationId: 'getGridsGeojson',
      tags: ['grids'],
      summary: 'Grid polygons in your area (optionally under one org unit) as GeoJSON',
      querystring: GridsQuery,
      response: { 200: GridFeatureCollectionOut, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'org.read');
    const rows = await listGridShapes(ctx, request.query.parent);
    // Already JSON text (a JSON content type and a string: Fastify sends it without serialising).
    return reply.type('application/geo+json').send(gridFeatureCollectionJson(rows) as never);
  });

  fastify.post('/grids/import', {
    schema: {
      operationId: 'importGrids',
      tags: ['grids'],
      summary: 'Import grid polygons (GeoJSON FeatureCollection); all or nothing',
      querystring: ImportQuery,
      body: ImportBody,
      response: { 200: ImportReportOut, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 413: ErrorBody, 422: ErrorBody },
    },
    bodyLimit: GRID_IMPORT_BODY_LIMIT,
    onRequest: async (request) => void ctxFor(app, request, 'grid.import'),
  }, async (request) => {
    const ctx = ctxFor(app, request, 'grid.import');
    const { mode, dryRun, communityProperty, requireCoverage } = request.query;
    return importGrids(ctx, request.body, { mode, dryRun, communityProperty, requireCoverage });
  });
};
