import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody } from '../http/schemas.js';
import { presentCaseSummary } from './case.presenter.js';
import { CaseListQuery, CasePage, CaseSummaryOut } from './case.schema.js';
import { listMyReports, listMyTasks, taskStates } from './case.mine.js';
import { publicStatus, PUBLIC_STATUS } from '../public/public.presenter.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const MyCaseOut = Type.Object({ ...CaseSummaryOut.properties, publicStatus: Type.String(), publicStatusText: Type.String() });
const Paged = CasePage;

/** "Mine": the reports I made and the cases waiting for my forward action, with the list's filters. */
export const mineRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/me/cases', {
    schema: { tags: ['cases'], operationId: 'listMyCases', summary: 'The cases you reported yourself (a citizen\'s "my reports"), newest first, with status in words', querystring: CaseListQuery, response: { 200: Paged(MyCaseOut), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    const result = await listMyReports(ctx, request.query);
    return {
      ...result,
      items: result.items.map((row) => {
        const status = publicStatus(row.status, row.workflow);
        return Object.assign(presentCaseSummary(row), { publicStatus: status, publicStatusText: PUBLIC_STATUS[status] });
      }),
    };
  });

  fastify.get('/me/tasks', {
    schema: {
      tags: ['cases'],
      operationId: 'listMyTasks',
      summary: 'Cases in your area waiting for your forward action (a grid worker: 核实 and 核查), newest first; `states` lists which states count',
      querystring: CaseListQuery,
      response: { 200: Type.Object({ ...Paged(CaseSummaryOut).properties, states: Type.Array(Type.String()) }), ...errors },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    const result = await listMyTasks(ctx, request.query);
    return { ...result, items: result.items.map(presentCaseSummary), states: taskStates(ctx.actor.role) };
  });
};
