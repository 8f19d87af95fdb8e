import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { open311Repository } from './open311.repository.js';
import { parseQuestions, type Question } from './open311.questions.js';

export type ServiceType = 'realtime' | 'batch' | 'blackbox';
export const SERVICE_TYPES: readonly ServiceType[] = ['realtime', 'batch', 'blackbox'];

/** A catalogue category seen as an Open311 service. */
export interface Service {
  categoryId: number;
  code: string;
  name: string;
  kind: string;
  standard: string;
  group: string;
  keywords: string;
  workflow: string;
  type: ServiceType;
  notice: string | null;
  questions: Question[];
}

// A code shared by a 管理部件 and its 管理事项 twin is one service: the matter (as resolveCategory).
const KIND_PREFERENCE: Record<string, number> = { matter: 0, local: 1, component: 2 };

type ServiceRow = Awaited<ReturnType<typeof open311Repository.serviceRows>>[number];

function toService(row: ServiceRow): Service {
  return {
    categoryId: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    standard: row.standard,
    group: row.class_name,
    keywords: row.keywords,
    workflow: row.workflow,
    type: (row.type ?? 'realtime') as ServiceType,
    notice: row.service_notice ?? null,
    questions: parseQuestions(row.questions),
  };
}

function onePerCode(rows: ServiceRow[]): Service[] {
  const byCode = new Map<string, ServiceRow>();
  for (const row of rows) {
    const seen = byCode.get(row.code);
    if (!seen || (KIND_PREFERENCE[row.kind] ?? 9) < (KIND_PREFERENCE[seen.kind] ?? 9)) byCode.set(row.code, row);
  }
  return [...byCode.values()].map(toService);
}

/** Every active category as a service, one per code, ordered by code. */
export async function listServices(db: Db): Promise<Service[]> {
  return onePerCode(await open311Repository.serviceRows(db));
}

/** The service with this code. Throws category_not_found (404 on the wire). */
export async function findService(db: Db, code: string): Promise<Service> {
  const [service] = onePerCode(await open311Repository.serviceRows(db, code));
  if (!service) throw new AppError('category_not_found', `service_code "${code}" is not a service of this endpoint`, { field: 'service_code' });
  return service;
}
