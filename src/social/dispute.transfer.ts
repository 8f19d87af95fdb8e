import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { intakeCase } from '../cases/case.intake.js';
import { transitionCase } from '../cases/case.transition.js';
import { caseRepository } from '../cases/case.repository.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { resolveCategory } from '../catalogue/catalogue.service.js';
import { revealReporter } from '../privacy/reporter.js';
import { socialRepository } from './social.repository.js';
import type { ToMediationBody } from './social.schema.js';
import type { Channel } from '../cases/case.channels.js';

/**
 * 转调解: turns an ordinary case (a 12345 neighbour-noise complaint, a patrol finding) into a
 * dispute in one transaction: a mediation case at the same place with the same reporter and
 * description opens, linked to the first, which closes as transferred (its `transfer` step names
 * the dispute). Throws case_not_found, version_conflict, transition_not_allowed, validation_failed
 * (a category that is not a 矛盾纠纷 one).
 */
export async function transferToMediation(ctx: Ctx, id: number, body: ToMediationBody) {
  return inTransaction(ctx, async (trx) => {
    const from = await caseRepository.findInScope(trx.db, id, caseScopeFor(trx.actor));
    if (!from) throw new AppError('case_not_found', `case ${id} does not exist or is outside your area`);
    if (from.version !== body.version) throw new AppError('version_conflict', `case ${from.number} is at version ${from.version}, not ${body.version}; reload and try again`, { currentVersion: from.version });
    if (from.workflow === 'mediation' || from.workflow === 'petition') throw new AppError('transition_not_allowed', `case ${from.number} is a ${from.workflow} case; 转调解 is for ordinary cases`);
    const category = await resolveCategory(trx, body.categoryCode);
    if (category.workflow !== 'mediation') throw new AppError('validation_failed', `category ${category.code} is not a 矛盾纠纷 category`, { field: 'categoryCode' });
    const reporter = revealReporter(trx.app, from);
    const created = await intakeCase(trx, {
      categoryCode: category.code, lon: from.lon, lat: from.lat, description: from.description, address: from.address, channel: from.channel as Channel,
      reporter: { name: reporter.name, phone: reporter.phone, idNumber: reporter.idNumber }, private: from.private === 1,
      dispute: { source: from.channel === 'hotline' ? 'hotline' : from.channel === 'patrol' ? 'patrol' : 'walk_in', ...body.dispute },
    });
    const to = created.case;
    await socialRepository.updateDispute(trx.db, to.id, { transferred_from_case_id: from.id });
    const closed = await transitionCase(trx, from.id, { action: 'transfer', version: body.version, targetCaseId: to.id, note: body.note });
    const attributes = { ...(JSON.parse(closed.attributes) as Record<string, unknown>), transferredTo: { id: to.id, number: to.number } };
    await socialRepository.setCaseAttributes(trx.db, from.id, JSON.stringify(attributes));
    return { from: (await caseRepository.findById(trx.db, from.id))!, to: (await caseRepository.findById(trx.db, to.id))! };
  });
}
