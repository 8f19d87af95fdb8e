import type { Migration } from 'kysely';
import * as core from './2026-11-26T0001_core.js';
import * as cases from './2026-11-26T0002_cases.js';
import * as open311 from './2026-11-26T0003_open311.js';
import * as eventNoteVisibility from './2026-11-29T0101_event_note_visibility.js';
import * as outlines from './2026-11-29T1100_outlines.js';
import * as eventHashChain from './2026-11-29T1200_event_hash_chain.js';
import * as publicReports from './2026-11-29T1900_public_reports.js';
import * as open311UpdateMedia from './2026-11-29T2020_open311_update_media.js';
import * as kpiStageCounters from './2026-11-29T2100_kpi_stage_counters.js';
import * as apiKeyScopes from './2026-11-29T2130_api_key_scopes.js';
import * as reporterEncryption from './2026-11-29T2140_reporter_encryption.js';
import * as patrolPhotos from './2026-11-30T1200_patrol_photos.js';
import * as kpiRollups from './2026-11-30T0200_kpi_rollups.js';
import * as storeChanges from './2026-11-30T1500_store_changes.js';
import * as openCasesIndex from './2026-11-30T0201_open_cases_index.js';
import * as kpiReportHours from './2026-11-30T0202_kpi_report_hours.js';
import * as onboarding from './2026-11-30T0600_onboarding.js';
import * as patrols from './2026-11-30T0500_patrols.js';
import * as safetyRegister from './2026-11-30T0510_safety_register.js';
import * as sharedLimits from './2026-11-30T0300_shared_limits.js';
import * as keyChecks from './2026-11-30T0301_key_checks.js';
import * as social from './2026-11-30T0400_social.js';
import * as sensors from './2026-11-30T0700_sensors.js';
import * as caseNumberSequence from './2026-11-30T0100_case_number_sequence.js';
import * as duplicateBboxIndex from './2026-11-30T0101_duplicate_bbox_index.js';
import * as demoHistoryProgress from './2026-11-30T0000_demo_history_progress.js';
import * as deadLetterFingerprint from './2026-11-30T0701_dead_letter_fingerprint.js';
import * as petitionDue from './2026-11-30T0401_petition_due.js';
import * as caseTextSearch from './2026-11-30T0102_case_text_search.js';
import * as cityIndicators from './2026-11-30T1300_city_indicators.js';
import * as reachQualityStates from './2026-11-30T1310_reach_quality_states.js';
import * as pollutionWarnings from './2026-11-30T1320_pollution_warnings.js';
import * as kpiPacked from './2026-12-01T0100_kpi_packed.js';
import * as historyPendingCounts from './2026-12-01T0101_history_pending_counts.js';
import * as kpiRollupIndexes from './2026-12-01T0102_kpi_rollup_indexes.js';
import * as kpiHoursAboveGrids from './2026-12-01T0103_kpi_hours_above_grids.js';

/**
 * Every migration, by name. Append-only: add a new file and one line here; never edit or
 * reorder a migration that has shipped. Names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0001_core': core,
  '2026-11-26T0002_cases': cases,
  '2026-11-26T0003_open311': open311,
  '2026-11-29T0101_event_note_visibility': eventNoteVisibility,
  '2026-11-29T1100_outlines': outlines,
  '2026-11-29T1200_event_hash_chain': eventHashChain,
  '2026-11-29T1900_public_reports': publicReports,
  '2026-11-29T2020_open311_update_media': open311UpdateMedia,
  '2026-11-29T2100_kpi_stage_counters': kpiStageCounters,
  '2026-11-29T2130_api_key_scopes': apiKeyScopes,
  '2026-11-29T2140_reporter_encryption': reporterEncryption,
  '2026-11-30T0200_kpi_rollups': kpiRollups,
  '2026-11-30T0201_open_cases_index': openCasesIndex,
  '2026-11-30T0202_kpi_report_hours': kpiReportHours,
  '2026-11-30T0600_onboarding': onboarding,
  '2026-11-30T0500_patrols': patrols,
  '2026-11-30T0510_safety_register': safetyRegister,
  '2026-11-30T0300_shared_limits': sharedLimits,
  '2026-11-30T0301_key_checks': keyChecks,
  '2026-11-30T0400_social': social,
  '2026-11-30T0700_sensors': sensors,
  '2026-11-30T0100_case_number_sequence': caseNumberSequence,
  '2026-11-30T0101_duplicate_bbox_index': duplicateBboxIndex,
  '2026-11-30T0000_demo_history_progress': demoHistoryProgress,
  '2026-11-30T0701_dead_letter_fingerprint': deadLetterFingerprint,
  '2026-11-30T0401_petition_due': petitionDue,
  '2026-11-30T0102_case_text_search': caseTextSearch,
  '2026-11-30T1500_store_changes': storeChanges,
  '2026-11-30T1200_patrol_photos': patrolPhotos,
  '2026-11-30T1300_city_indicators': cityIndicators,
  '2026-11-30T1310_reach_quality_states': reachQualityStates,
  '2026-11-30T1320_pollution_warnings': pollutionWarnings,
  '2026-12-01T0100_kpi_packed': kpiPacked,
  '2026-12-01T0101_history_pending_counts': historyPendingCounts,
  '2026-12-01T0102_kpi_rollup_indexes': kpiRollupIndexes,
  '2026-12-01T0103_kpi_hours_above_grids': kpiHoursAboveGrids,
};
