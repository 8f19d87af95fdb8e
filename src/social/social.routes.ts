import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { ErrorBody, IsoDate, Nullable, PageQuery } from '../http/schemas.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { presentCaseSummary } from '../cases/case.presenter.js';
import { CaseSummaryOut } from '../cases/case.schema.js';
import { addParty, addSession, getDispute, updateDispute } from './dispute.api.js';
import { transferToMediation } from './dispute.transfer.js';
import { addFollowup, getPetition, updatePetition } from './petition.api.js';
import { socialKpiReport } from './social.kpis.service.js';
import { socialRepository } from './social.repository.js';
import { DisputeOut, DisputePatch, FollowupIn, PartyIn, PetitionOut, PetitionPatch, SessionIn, ToMediationBody } from './social.schema.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Rate = Nullable(Type.Number());

/** Disputes (矛盾纠纷) and petitions (信访): their records beyond the case, 转调解, 积案 and their KPIs. */
export const socialRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/disputes/:id', {
    schema: { tags: ['social'], operationId: 'getDispute', summary: 'A dispute\'s record: parties (masked unless your role reads personal data), sessions, agreement with its 司法确认 window, referral', params: IdParams, response: { 200: DisputeOut, ...errors } },
  }, async (request) => getDispute(ctxFor(app, request, 'case.read'), request.params.id));

  fastify.patch('/disputes/:id', {
    schema: { tags: ['social'], operationId: 'updateDispute', summary: 'Change a dispute\'s details, mediators, agreement (opens the 30-day 司法确认 window), referral or 司法确认 application', params: IdParams, body: DisputePatch, response: { 200: DisputeOut, ...errors } },
  }, async (request) => updateDispute(ctxFor(app, request, 'social.write'), request.params.id, request.body));

  fastify.post('/disputes/:id/parties', {
    schema: { tags: ['social'], operationId: 'addDisputeParty', summary: 'Add a party (applicant or respondent); the ID number is checked (GB 11643) and stored encrypted', params: IdParams, body: PartyIn, response: { 201: DisputeOut, ...errors } },
  }, async (request, reply) => {
    reply.status(201);
    return addParty(ctxFor(app, request, 'social.write'), request.params.id, request.body);
  });

  fastify.post('/disputes/:id/sessions', {
    schema: { tags: ['social'], operationId: 'addDisputeSession', summary: 'Record a mediation session: date, place, attendees, summary', params: IdParams, body: SessionIn, response: { 201: DisputeOut, ...errors } },
  }, async (request, reply) => {
    reply.status(201);
    return addSession(ctxFor(app, request, 'social.write'), request.params.id, request.body);
  });

  fastify.post('/cases/:id/to-mediation', {
    schema: {
      tags: ['social'], operationId: 'transferToMediation', summary: '转调解: open a dispute from an ordinary case; both link to each other and the first closes as transferred',
      params: IdParams, body: ToMediationBody, response: { 201: Type.Object({ from: CaseSummaryOut, to: CaseSummaryOut }), ...errors },
    },
  }, async (request, reply) => {
    const result = await transferToMediation(ctxFor(app, request, 'social.write'), request.params.id, request.body);
    reply.status(201);
    return { from: presentCaseSummary(result.from), to: presentCaseSummary(result.to) };
  });

  fastify.get('/petitions/backlog', {
    schema: {
      tags: ['social'], operationId: 'listPetitionBacklog', summary: '积案: petitions open past their limit or repeated, not yet resolved, oldest first, with their 包案领导',
      querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...CaseSummaryOut.properties, backlogSince: Type.String(), leadName: Nullable(Type.String()), repeatOfCaseId: Nullable(Type.Integer()) })) }), ...errors },
    },
  }, async (request) => {
    const ctx = ctxFor(app, request, 'case.read');
    const rows = await socialRepository.backlog(ctx.db, caseScopeFor(ctx.actor), { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 });
    return { items: rows.map((r) => ({ ...presentCaseSummary(r), backlogSince: r.backlog_since ?? '', leadName: r.lead_name, repeatOfCaseId: r.repeat_of_case_id })) };
  });

  fastify.get('/petitions/:id', {
    schema: { tags: ['social'], operationId: 'getPetition', summary: 'A petition\'s record: the statutory clocks as dates with days left, the 复查/复核 chain, repeats, 积案 and follow-ups', params: IdParams, response: { 200: PetitionOut, ...errors } },
  }, async (request) => getPetition(ctxFor(app, request, 'case.read'), request.params.id));

  fastify.patch('/petitions/:id', {
    schema: { tags: ['social'], operationId: 'updatePetition', summary: 'Set the 包案领导 (a leader whose area covers it), petitioners, addressee or 越级', params: IdParams, body: PetitionPatch, response: { 200: PetitionOut, ...errors } },
  }, async (request) => updatePetition(ctxFor(app, request, 'social.write'), request.params.id, request.body));

  fastify.post('/petitions/:id/followups', {
    schema: { tags: ['social'], operationId: 'addPetitionFollowup', summary: 'Record a 积案 follow-up (the monthly 跟进)', params: IdParams, body: FollowupIn, response: { 201: PetitionOut, ...errors } },
  }, async (request, reply) => {
    reply.status(201);
    return addFollowup(ctxFor(app, request, 'social.write'), request.params.id, request.body.note);
  });

  fastify.get('/social/kpis', {
    schema: {
      tags: ['social'], operationId: 'getSocialKpis', summary: 'Dispute and petition KPIs of an org subtree over local dates [from, to] (see src/social/social.kpis.ts for each definition)',
      querystring: Type.Object({ org: Type.Optional(Type.String({ pattern: '^\\d{4,20}$' })), from: Type.Optional(IsoDate()), to: Type.Optional(IsoDate()) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          org: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }), from: Type.String(), to: Type.String(),
          mediation: Type.Object({
            received: Type.Integer(), concluded: Type.Integer(), succeeded: Type.Integer(), successRate: Rate, grassrootsRate: Rate, courtReferred: Type.Integer(),
            preSuitSuccessRate: Rate, fulfilmentRate: Rate, returnRate: Rate, litigated: Type.Integer(), litigationPer10k: Rate,
          }),
          petition: Type.Object({
            registered: Type.Integer(), decided: Type.Integer(), timelyAcceptanceRate: Rate, replied: Type.Integer(), onTimeConclusionRate: Rate, rated: Type.Integer(),
            satisfactionRate: Rate, repeatRate: Rate, backlog: Type.Integer(), backlogResolutionRate: Rate, skippedLevel: Type.Integer(),
          }),
        }),
        ...errors,
      },
    },
  }, async (request) => socialKpiReport(ctxFor(app, request, 'kpi.read'), request.query));
};
