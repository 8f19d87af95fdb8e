import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody, IsoDate, StringEnum } from '../http/schemas.js';
import { kpiReport } from './kpi.service.js';

const GROUPS = ['none', 'day', 'category', 'class', 'department', 'channel', 'district', 'street', 'community', 'grid'] as const;
const Rate = Type.Union([Type.Number(), Type.Null()]);

const KpiValues = {
  reported: Type.Number(), registered: Type.Number(), rejected: Type.Number(), dispatched: Type.Number(), dispatchedOnTime: Type.Number(),
  handled: Type.Number(), handledOnTime: Type.Number(), reworked: Type.Number(), closed: Type.Number(), closedOnTime: Type.Number(), closedByDeadline: Type.Number(),
  verified: Type.Number(), verifiedOnTime: Type.Number(), checked: Type.Number(), checkedOnTime: Type.Number(),
  shouldClose: Type.Number(), overdue: Type.Number(), handlingMsSum: Type.Number(), handlingCount: Type.Number(), voided: Type.Number(),
  callbacks: Type.Number(), contacted: Type.Number(), solved: Type.Number(), satisfied: Type.Number(), basicallySatisfied: Type.Number(), dissatisfied: Type.Number(),
  registrationRate: Rate, onTimeDispatchRate: Rate, onTimeHandlingRate: Rate, reworkRate: Rate, closureRate: Rate, onTimeClosureRate: Rate, onTimeVerifyRate: Rate, onTimeCheckRate: Rate,
  averageHandlingHours: Rate, responseRate: Rate, resolutionRate: Rate, satisfactionRate: Rate, composite: Rate,
  grade: Type.Union([Type.String(), Type.Null()]), urbanComposite: Rate, urbanGrade: Type.Union([Type.String(), Type.Null()]),
  medianHoursToClose: Type.Union([Type.Number(), Type.Null()], { description: 'median hours from report to closure of the cases closed in the period, read from a log-spaced histogram (within 4.5 %)' }),
};

/** KPIs (综合评价) from the incrementally maintained counters. */
export const kpiRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/kpis', {
    schema: {
      operationId: 'getKpis',
      tags: ['kpis'],
      summary: 'KPIs of an org subtree over a period: 上报/立案/结案 counts and rates, 12345 三率, composite and grade',
      querystring: Type.Object({
        org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })),
        from: Type.Optional(IsoDate()),
        to: Type.Optional(IsoDate()),
        groupBy: Type.Optional(StringEnum(GROUPS)),
        department: Type.Optional(Type.Integer({ minimum: 0 })),
        category: Type.Optional(Type.String({ maxLength: 20 })),
        channel: Type.Optional(Type.String({ maxLength: 40 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          org: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
          from: Type.String(), to: Type.String(), groupBy: Type.String(),
          ...KpiValues,
          groups: Type.Array(Type.Object({ group: Type.Union([Type.String(), Type.Null()]), categoryCode: Type.Optional(Type.String({ description: 'with groupBy=category: the category of the row' })), ...KpiValues })),
        }),
        400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody,
      },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'kpi.read');
    const { org, from, to, groupBy, department, category, channel } = request.query;
    return kpiReport(ctx, { org, from, to, groupBy, departmentId: department, category, channel });
  });
};
