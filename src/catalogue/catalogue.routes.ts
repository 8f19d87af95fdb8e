import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { AppError } from '../errors.js';
import { ErrorBody, Page, PageQuery } from '../http/schemas.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { catalogueRepository } from './catalogue.repository.js';
import { createDepartment, createRoutingRule, deleteRoutingRule, resolveCategory, routeCase, updateRoutingRule } from './catalogue.service.js';
import { createCategory, editCategory } from './category.admin.js';
import { importLegacyCsv } from './legacy.service.js';
import { legacyRepository } from './legacy.repository.js';
import { presentCategory, presentDepartment, presentLegacyCode, presentRoutingRule } from './catalogue.presenter.js';
import { CategoryIn, CategoryOut, CategoryPatch, LegacyCodeOut, LegacyCodesIn, DepartmentIn, DepartmentOut, ExplainIn, ExplainOut, RoutingRuleIn, RoutingRuleOut } from './catalogue.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const CategoryIdParams = Type.Object({ category: Type.Integer({ minimum: 1, description: 'the category id' }) });

/** The catalogue is public reference data (it is what Open311 publishes as services): read as the system. */
const publicCtx = (app: AppContext) => makeCtx(app, systemActor());

/** Categories (GB/T 47678.5 + local), departments and routing rules with explain. */
export const catalogueRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/categories', {
    schema: {
      operationId: 'listCategories',
      tags: ['catalogue'],
      summary: 'Case categories: the GB/T 47678.5-2026 catalogue and local extensions (public, like Open311 services)',
      security: [],
      querystring: Type.Object({
        standard: Type.Optional(Type.String({ maxLength: 40 })),
        kind: Type.Optional(Type.Union([Type.Literal('component'), Type.Literal('matter'), Type.Literal('local')])),
        class: Type.Optional(Type.String({ maxLength: 10 })),
        workflow: Type.Optional(Type.String({ maxLength: 40 })),
        q: Type.Optional(Type.String({ maxLength: 100 })),
        ...PageQuery,
      }, { additionalProperties: false }),
      response: { 200: Page(CategoryOut), ...errors },
    },
  }, async (request) => {
    const ctx = publicCtx(app);
    const { standard, kind, class: classCode, workflow, q } = request.query;
    const page = { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
    const result = await catalogueRepository.listCategories(ctx.db, { standard, kind, classCode, workflow, q }, page);
    return { items: result.items.map(presentCategory), total: result.total, ...page };
  });

  // The same path as PATCH /categories/{category} (by id), so the parameter has one name in OpenAPI.
  fastify.get('/categories/:category', {
    schema: {
      operationId: 'getCategory',
      tags: ['catalogue'],
      summary: 'One category by code (a shared 部件/事项 code resolves to the 事项 unless kind is given); public',
      security: [],
      params: Type.Object({ category: Type.String({ maxLength: 20, description: 'a category code such as 06010' }) }),
      querystring: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('component'), Type.Literal('matter'), Type.Literal('local')])) }, { additionalProperties: false }),
      response: { 200: CategoryOut, ...errors },
    },
  }, async (request) => presentCategory(await resolveCategory(publicCtx(app), request.params.category, request.query.kind)));

  fastify.post('/categories', {
    schema: { operationId: 'createCategory', tags: ['catalogue'], summary: 'Create a local category (listed by Open311 at once)', body: CategoryIn, response: { 201: CategoryOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'catalogue.write');
    const row = await createCategory(ctx, request.body);
    reply.status(201);
    return presentCategory(row);
  });

  fastify.patch('/categories/:category', {
    schema: { operationId: 'updateCategory', tags: ['catalogue'], summary: 'Edit a category: names, class, workflow, department, priority, time limits, duplicate window, questions; active false retires it', params: CategoryIdParams, body: CategoryPatch, response: { 200: CategoryOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'catalogue.write');
    return presentCategory(await editCategory(ctx, request.params.category, request.body));
  });

  fastify.get('/category-legacy-codes', {
    schema: {
      operationId: 'listLegacyCategoryCodes', tags: ['catalogue'], summary: 'Legacy category codes (GB/T 30428.2-2013, a city\'s own) and the current categories they map to',
      querystring: Type.Object({ scheme: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(LegacyCodeOut), total: Type.Integer() }), ...errors },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'catalogue.read');
    const items = (await legacyRepository.list(ctx.db, request.query.scheme)).map(presentLegacyCode);
    return { items, total: items.length };
  });

  fastify.post('/category-legacy-codes/import', {
    schema: { operationId: 'importLegacyCategoryCodes', tags: ['catalogue'], summary: 'Import legacy-code mappings from CSV (one transaction; every problem listed by line)', body: LegacyCodesIn, response: { 200: Type.Object({ imported: Type.Integer() }), ...errors, 422: ErrorBody } },
  }, async (request) => importLegacyCsv(ctxFor(app, request, 'catalogue.write'), request.body.csv));

  fastify.get('/departments', {
    schema: { operationId: 'listDepartments', tags: ['catalogue'], summary: 'Departments (专业部门)', response: { 200: Type.Object({ items: Type.Array(DepartmentOut), total: Type.Integer() }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'catalogue.read');
    const items = (await catalogueRepository.listDepartments(ctx.db)).map(presentDepartment);
    return { items, total: items.length };
  });

  fastify.post('/departments', {
    schema: { operationId: 'createDepartment', tags: ['catalogue'], summary: 'Create a department at an org level', body: DepartmentIn, response: { 201: DepartmentOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'catalogue.write');
    const id = await createDepartment(ctx, request.body);
    reply.status(201);
    return { id, code: request.body.code, name: request.body.name, orgCode: request.body.orgCode };
  });

  fastify.get('/routing-rules', {
    schema: { operationId: 'listRoutingRules', tags: ['routing'], summary: 'Routing rules in order (first match wins)', response: { 200: Type.Object({ items: Type.Array(RoutingRuleOut), total: Type.Integer() }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'catalogue.read');
    const items = (await catalogueRepository.listRoutingRules(ctx.db)).map(presentRoutingRule);
    return { items, total: items.length };
  });

  fastify.post('/routing-rules', {
    schema: { operationId: 'createRoutingRule', tags: ['routing'], summary: 'Add a routing rule', body: RoutingRuleIn, response: { 201: RoutingRuleOut, ...errors } },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'routing.write');
    const id = await createRoutingRule(ctx, request.body);
    reply.status(201);
    return presentRoutingRule((await catalogueRepository.findRoutingRule(ctx.db, id))!);
  });

  fastify.put('/routing-rules/:id', {
    schema: { operationId: 'replaceRoutingRule', tags: ['routing'], summary: 'Replace a routing rule', params: IdParams, body: RoutingRuleIn, response: { 200: RoutingRuleOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'routing.write');
    await updateRoutingRule(ctx, request.params.id, request.body);
    return presentRoutingRule((await catalogueRepository.findRoutingRule(ctx.db, request.params.id))!);
  });

  fastify.delete('/routing-rules/:id', {
    schema: { operationId: 'deleteRoutingRule', tags: ['routing'], summary: 'Delete a routing rule', params: IdParams, response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'routing.write');
    await deleteRoutingRule(ctx, request.params.id);
    return { deleted: true };
  });

  fastify.post('/routing/explain', {
    schema: { operationId: 'explainRouting', tags: ['routing'], summary: 'Which department a case would go to, and why', body: ExplainIn, response: { 200: ExplainOut, ...errors } },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'catalogue.read');
    const category = await resolveCategory(ctx, request.body.categoryCode);
    const org = await getOrgUnitInScope(ctx, request.body.orgCode);
    const at = request.body.at ? new Date(request.body.at) : ctx.now;
    const decision = await routeCase(ctx, { category, orgPath: org.path, channel: request.body.channel, at });
    return { ...decision, department: decision.department ? presentDepartment(decision.department) : null };
  });
};
