import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from '../http/schemas.js';

export const DISPUTE_SOURCES = ['patrol', 'hotline', 'petition', 'court_delegated', 'court_entrusted', 'walk_in'] as const;
export const RISK_LEVELS = ['major', 'significant', 'general'] as const;
export const PARTY_ROLES = ['applicant', 'respondent'] as const;
export const REFERRALS = ['litigation', 'arbitration', 'administrative', 'petition'] as const;
export const AGREEMENT_KINDS = ['written', 'oral'] as const;

/** A party as given: the ID number is checked against GB 11643 (checksum) by the service. */
export const PartyIn = Type.Object({
  role: StringEnum(PARTY_ROLES),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+\\- ]{3,20}$' }))),
  idNumber: Type.Optional(Nullable(Type.String({ pattern: '^\\d{17}[0-9Xx]$', description: 'resident ID number (GB 11643, check digit verified); stored encrypted' }))),
}, { additionalProperties: false });
export type PartyIn = Static<typeof PartyIn>;

/** What a dispute adds to the usual case body (POST /cases with a 矛盾纠纷 category). */
export const DisputeIntakeIn = Type.Object({
  source: Type.Optional(StringEnum(DISPUTE_SOURCES, { description: 'default: from the channel (court → court_delegated, visit → walk_in, hotline, patrol)' })),
  amount: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e12, description: 'yuan at stake' }))),
  peopleCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  riskLevel: Type.Optional(StringEnum(RISK_LEVELS)),
  mediationOrg: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  parties: Type.Optional(Type.Array(PartyIn, { maxItems: 50 })),
}, { additionalProperties: false });
export type DisputeIntakeIn = Static<typeof DisputeIntakeIn>;

/** What a petition adds to the usual case body (POST /cases with a 信访 category). */
export const PetitionIntakeIn = Type.Object({
  petitioners: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: '5 or more: 集体访' })),
  addressedTo: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  skippedLevel: Type.Optional(Type.Boolean({ description: '越级访: filed above the level that should handle it' })),
}, { additionalProperties: false });
export type PetitionIntakeIn = Static<typeof PetitionIntakeIn>;
