import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { csvField } from '../cases/case.csv.js';
import { getHazard, hazardKpis } from './hazard.service.js';
import { HazardKpiOut, HazardKpiQuery, HazardOut } from './hazard.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['safety'];

/** 隐患排查治理: one hazard with its 治理方案 and progress, and the hazard KPIs. */
export const hazardRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/hazards/kpis', {
    schema: {
      operationId: 'getHazardKpis', tags,
      summary: '隐患排查治理 KPIs of your area over a period (default this month): found, 重大, rectified, 隐患整改率, 重大隐患整改率, 按期整改率, 销号, overdue, inspections done vs required; per enterprise, industry, department or org unit',
      querystring: HazardKpiQuery, response: { 200: HazardKpiOut, ...errors },
    },
  }, async (request) => hazardKpis(ctxFor(app, request, 'patrol.read'), request.query));

  fastify.get('/hazards/kpis.csv', {
    schema: { operationId: 'exportHazardKpisCsv', tags, summary: 'The groups of GET /hazards/kpis as CSV (UTF-8 with BOM), the total last', querystring: HazardKpiQuery, produces: ['text/csv'] },
  }, async (request, reply) => {
    const report = await hazardKpis(ctxFor(app, request, 'patrol.read'), request.query);
    const cols = ['found', 'major', 'rectified', 'majorRectified', 'rectifiedOnTime', 'closed', 'open', 'overdue', 'rectificationRate', 'majorRectificationRate', 'onTimeRate', 'inspectionsRequired', 'inspectionsDone', 'inspectionRate'] as const;
    const line = (key: string | null, name: string | null, f: Record<(typeof cols)[number], number | null>) => [key ?? '', name ?? '', ...cols.map((c) => f[c] ?? '')].map(csvField).join(',');
    const lines = [...report.groups.map((g) => line(g.key, g.name, g)), line('total', report.org.name, report.total)];
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="hazard-kpis-${report.from}-${report.to}.csv"`);
    return `\uFEFF${[['key', 'name', ...cols].join(','), ...lines].join('\r\n')}\r\n`;
  });

  fastify.get('/hazards/:id', {
    schema: {
      operationId: 'getHazard', tags, summary: 'One hazard (a case of workflow hazard in your scope): level, state, deadline, the enterprise and risk point it was found at, its 治理方案 and progress reports',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: HazardOut, ...errors },
    },
  }, async (request) => getHazard(ctxFor(app, request, 'patrol.read'), request.params.id));
};
