import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody, StringEnum, Nullable } from '../http/schemas.js';
import { getServiceSettings, setServiceQuestions, setServiceType } from './open311.catalogue.js';
import { QuestionSchema } from './open311.questions.js';
import { SERVICE_TYPES } from './open311.services.js';


const SettingsOut = Type.Object({
  categoryId: Type.Integer(),
  code: Type.String(),
  type: StringEnum(SERVICE_TYPES),
  serviceNotice: Nullable(Type.String()),
  questions: Type.Array(QuestionSchema),
});

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Per-category Open311 configuration under /api/v1: service type, notice and questions. */
export const open311AdminRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/categories/:id/open311', {
    schema: { operationId: 'getCategoryOpen311', tags: ['open311'], summary: "A category's Open311 service type, notice and questions", params: IdParams, response: { 200: SettingsOut, ...errors } },
  }, async (request) => getServiceSettings(ctxFor(app, request, 'catalogue.read'), request.params.id));

  fastify.put('/categories/:id/questions', {
    schema: {
      operationId: 'setCategoryQuestions',
      tags: ['open311'],
      summary: "Replace a category's extra questions (its Open311 service definition)",
      params: IdParams,
      body: Type.Array(QuestionSchema, { maxItems: 100 }),
      response: { 200: SettingsOut, ...errors },
    },
  }, async (request) => setServiceQuestions(ctxFor(app, request, 'catalogue.write'), request.params.id, request.body));

  fastify.put('/categories/:id/open311', {
    schema: {
      operationId: 'setCategoryOpen311',
      tags: ['open311'],
      summary: "Set a category's Open311 service type (realtime, batch, blackbox) and service notice",
      params: IdParams,
      body: Type.Object({ type: StringEnum(SERVICE_TYPES), serviceNotice: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) }, { additionalProperties: false }),
      response: { 200: SettingsOut, ...errors },
    },
  }, async (request) => setServiceType(ctxFor(app, request, 'catalogue.write'), request.params.id, request.body));
};
