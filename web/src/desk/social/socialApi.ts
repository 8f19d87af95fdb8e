import { api, unwrap } from '../../shared/api/client';
import type { paths } from '../../shared/api/schema';

type Body<P extends keyof paths, M extends 'post' | 'patch'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The dispute and petition records beside a case, through the typed client. */
export const readDispute = (id: number) => unwrap(api.GET('/api/v1/disputes/{id}', { params: { path: { id } } }));
export const patchDispute = (id: number, body: Body<'/api/v1/disputes/{id}', 'patch'>) => unwrap(api.PATCH('/api/v1/disputes/{id}', { params: { path: { id } }, body }));
export const addParty = (id: number, body: Body<'/api/v1/disputes/{id}/parties', 'post'>) => unwrap(api.POST('/api/v1/disputes/{id}/parties', { params: { path: { id } }, body }));
export const addSession = (id: number, body: Body<'/api/v1/disputes/{id}/sessions', 'post'>) => unwrap(api.POST('/api/v1/disputes/{id}/sessions', { params: { path: { id } }, body }));
export const readPetition = (id: number) => unwrap(api.GET('/api/v1/petitions/{id}', { params: { path: { id } } }));
export const patchPetition = (id: number, body: Body<'/api/v1/petitions/{id}', 'patch'>) => unwrap(api.PATCH('/api/v1/petitions/{id}', { params: { path: { id } }, body }));
export const addFollowup = (id: number, note: string) => unwrap(api.POST('/api/v1/petitions/{id}/followups', { params: { path: { id } }, body: { note } }));
export const readBacklog = (limit: number, offset: number) => unwrap(api.GET('/api/v1/petitions/backlog', { params: { query: { limit, offset } } }));
export const toMediation = (id: number, body: Body<'/api/v1/cases/{id}/to-mediation', 'post'>) => unwrap(api.POST('/api/v1/cases/{id}/to-mediation', { params: { path: { id } }, body }));
export const readSocialKpis = (query: { org?: string; from?: string; to?: string }) => unwrap(api.GET('/api/v1/social/kpis', { params: { query } }));
export const readLeaders = async () => (await unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } } }))).items.filter((u) => u.role === 'leader' && !u.disabled);

export type Dispute = Awaited<ReturnType<typeof readDispute>>;
export type Petition = Awaited<ReturnType<typeof readPetition>>;
export type SocialKpis = Awaited<ReturnType<typeof readSocialKpis>>;

/** The workbench class codes of the two case types (local categories LMD*, LXF*). */
export const DISPUTE_CLASS = 'LMD';
export const PETITION_CLASS = 'LXF';
export const DISPUTE_SOURCES = ['patrol', 'hotline', 'petition', 'court_delegated', 'court_entrusted', 'walk_in'] as const;
export const RISK_LEVELS = ['major', 'significant', 'general'] as const;
export const REFERRALS = ['litigation', 'arbitration', 'administrative', 'petition'] as const;
/** The channel a dispute's source comes in on. */
export const CHANNEL_OF_SOURCE = { patrol: 'patrol', hotline: 'hotline', petition: 'letter', court_delegated: 'court', court_entrusted: 'court', walk_in: 'visit' } as const;
