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

const DateTime = Type.String({ format: 'date-time' });

export const SessionIn = Type.Object({
  heldAt: DateTime,
  place: Type.String({ minLength: 1, maxLength: 200 }),
  attendees: Type.String({ minLength: 1, maxLength: 1000 }),
  summary: Type.String({ minLength: 1, maxLength: 4000 }),
}, { additionalProperties: false });
export type SessionIn = Static<typeof SessionIn>;

export const DisputePatch = Type.Object({
  amount: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e12 }))),
  peopleCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  riskLevel: Type.Optional(StringEnum(RISK_LEVELS)),
  mediationOrg: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  mediators: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 10 })),
  agreement: Type.Optional(Type.Object({
    kind: StringEnum(AGREEMENT_KINDS, { description: 'written 调解协议书 (needs attachmentId: upload it to the case first) or oral 口头协议' }),
    summary: Type.String({ minLength: 1, maxLength: 4000 }),
    attachmentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    effectiveAt: Type.Optional(DateTime),
  }, { additionalProperties: false })),
  referral: Type.Optional(Type.Object({ to: StringEnum(REFERRALS), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })),
  confirmation: Type.Optional(Type.Object({ applied: Type.Boolean({ description: 'the parties jointly applied for 司法确认' }), appliedAt: Type.Optional(DateTime) }, { additionalProperties: false })),
}, { additionalProperties: false, minProperties: 1 });
export type DisputePatch = Static<typeof DisputePatch>;

const PartyOut = Type.Object({ id: Type.Integer(), role: Type.String(), name: Type.String(), phone: Nullable(Type.String()), idNumber: Nullable(Type.String()) });

export const DisputeOut = Type.Object({
  caseId: Type.Integer(),
  number: Type.String(),
  source: Type.String(),
  courtReferred: Type.Boolean(),
  amount: Nullable(Type.Number()),
  peopleCount: Type.Integer(),
  riskLevel: Type.String(),
  riskWarning: Type.Boolean(),
  mediationOrg: Nullable(Type.String()),
  mediators: Type.Array(Type.String()),
  resolvedLevel: Nullable(Type.String()),
  parties: Type.Array(PartyOut, { description: 'names, phones and ID numbers masked unless your role reads personal data' }),
  sessions: Type.Array(Type.Object({ id: Type.Integer(), heldAt: Type.String(), place: Type.String(), attendees: Type.String(), summary: Type.String(), recordedBy: Type.String() })),
  agreement: Nullable(Type.Object({
    kind: Type.String(), summary: Nullable(Type.String()), attachmentId: Nullable(Type.Integer()), effectiveAt: Type.String(),
    confirmation: Type.Object({
      deadline: Nullable(Type.String({ description: '司法确认 window: the parties may apply until this instant (end of the 30th local day)' })),
      daysLeft: Nullable(Type.Integer()), applied: Nullable(Type.Boolean()), appliedAt: Nullable(Type.String()), remindedAt: Nullable(Type.String()),
    }),
  })),
  referral: Nullable(Type.Object({ to: Type.String(), note: Nullable(Type.String()) })),
  agreementKept: Nullable(Type.Boolean()),
  transferredFromCaseId: Nullable(Type.Integer()),
});

export const ToMediationBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  categoryCode: Type.String({ minLength: 1, maxLength: 20, description: 'a 矛盾纠纷 category (workflow mediation)' }),
  note: Type.String({ minLength: 1, maxLength: 2000 }),
  dispute: Type.Optional(DisputeIntakeIn),
}, { additionalProperties: false });
export type ToMediationBody = Static<typeof ToMediationBody>;

export const PetitionPatch = Type.Object({
  leadUserId: Type.Optional(Nullable(Type.Integer({ minimum: 1, description: '包案领导: a leader in your area' }))),
  petitioners: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  addressedTo: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  skippedLevel: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });
export type PetitionPatch = Static<typeof PetitionPatch>;

export const FollowupIn = Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

const Clock = Type.Object({
  key: Type.String({ description: 'acceptance 受理告知, conclude 办结, review 复查, recheck 复核, reviewWindow / recheckWindow (the petitioner\'s 30 days to ask)' }),
  due: Type.String({ description: 'the deadline as an instant' }),
  dueDate: Type.String({ description: 'its local date' }),
  daysLeft: Type.Integer({ description: 'local days from today to dueDate (negative: overdue)' }),
  done: Nullable(Type.String({ description: 'when the step was taken' })),
});

export const PetitionOut = Type.Object({
  caseId: Type.Integer(),
  number: Type.String(),
  petitioners: Type.Integer(),
  collective: Type.Boolean({ description: '集体访: 5 or more petitioners' }),
  addressedTo: Nullable(Type.String()),
  skippedLevel: Type.Boolean(),
  repeatOf: Nullable(Type.Object({ id: Type.Integer(), number: Type.String() })),
  notReacceptable: Nullable(Type.Object({ id: Type.Integer(), number: Type.String() })),
  chain: Type.Object({
    registeredAt: Type.String(), acceptedAt: Nullable(Type.String()), repliedAt: Nullable(Type.String()), reviewRequestedAt: Nullable(Type.String()),
    reviewedAt: Nullable(Type.String()), recheckRequestedAt: Nullable(Type.String()), recheckedAt: Nullable(Type.String()),
  }),
  clocks: Type.Array(Clock),
  backlog: Type.Object({ since: Nullable(Type.String()), resolvedAt: Nullable(Type.String()), leadUserId: Nullable(Type.Integer()), leadName: Nullable(Type.String()) }),
  followups: Type.Array(Type.Object({ at: Type.String(), actor: Type.String(), note: Type.String() })),
});
