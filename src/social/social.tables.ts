import type { Generated } from 'kysely';

/** The tables of disputes (矛盾纠纷) and petitions (信访); migration 2026-11-30T0400_social. */
export interface SocialTables {
  disputes: DisputeTable;
  dispute_parties: DisputePartyTable;
  dispute_sessions: DisputeSessionTable;
  petitions: PetitionTable;
  petition_followups: PetitionFollowupTable;
}

export interface DisputeTable {
  case_id: number;
  /** patrol | hotline | petition | court_delegated | court_entrusted | walk_in */
  source: string;
  /** Yuan at stake, when money is. */
  amount: number | null;
  people_count: number;
  /** major 重大 | significant 较大 | general 一般 */
  risk_level: string;
  /** 风险预警: raised to the street. */
  risk_warning: number;
  mediation_org: string | null;
  /** JSON array of mediator names. */
  mediators: string;
  /** community | street | district | city: the level of the org unit whose mediators resolved it. */
  resolved_level: string | null;
  /** written 调解协议书 | oral 口头协议 */
  agreement_kind: string | null;
  agreement_summary: string | null;
  agreement_attachment_id: number | null;
  agreement_at: string | null;
  /** Last instant the parties may jointly apply for 司法确认. */
  confirm_deadline: string | null;
  confirm_applied: number | null;
  confirm_applied_at: string | null;
  confirm_reminded_at: string | null;
  /** litigation | arbitration | administrative | petition, after 调解不成. */
  referral: string | null;
  referral_note: string | null;
  /** 回访: is the agreement being kept? */
  agreement_kept: number | null;
  transferred_from_case_id: number | null;
  /** HMAC of the sorted parties' ID numbers (or phones) with the category: 回流 detection. */
  parties_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface DisputePartyTable {
  id: Generated<number>;
  case_id: number;
  /** applicant | respondent */
  role: string;
  name: string;
  phone: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  id_number: string | null;
  id_enc: string | null;
  id_hash: string | null;
  created_at: string;
}

export interface DisputeSessionTable {
  id: Generated<number>;
  case_id: number;
  held_at: string;
  place: string;
  attendees: string;
  summary: string;
  recorded_by: string;
  created_at: string;
}

export interface PetitionTable {
  case_id: number;
  petitioners: number;
  addressed_to: string | null;
  /** 越级访: filed above the level that should have handled it. */
  skipped_level: number;
  /** The petitioner's ID (else phone) search hash: repeat detection. */
  petitioner_key: string | null;
  repeat_of_case_id: number | null;
  /** A 复核-concluded case on the same matter: this one is not accepted again. */
  final_case_id: number | null;
  replied_at: string | null;
  /** The 办结 deadline in force when the reply was given (after any extension). */
  conclude_due: string | null;
  /** When the petitioner's rating (参评) was recorded. */
  rated_at: string | null;
  review_requested_at: string | null;
  reviewed_at: string | null;
  recheck_requested_at: string | null;
  rechecked_at: string | null;
  /** 积案 since; resolved when the case concludes. */
  backlog_since: string | null;
  backlog_resolved_at: string | null;
  /** 包案领导. */
  lead_user_id: number | null;
  lead_name: string | null;
  created_at: string;
}

export interface PetitionFollowupTable {
  id: Generated<number>;
  case_id: number;
  at: string;
  actor_name: string;
  note: string;
}
