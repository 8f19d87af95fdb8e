import type { AppContext } from '../context.js';
import { CONTENT_TYPES } from './open311.format.js';
import { open311Repository } from './open311.repository.js';
import type { Open311Settings } from './open311.settings.js';
import { zoned } from '../time/zoned-time.js';
import type { XmlValue } from './open311.xml.js';

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

// Before any catalogue change is recorded (an empty store), the adapter's own release.
const ADAPTER_CHANGESET = '2026-11-26T00:00:00.000Z';

/**
 * The discovery document: one production endpoint at `baseUrl` in XML and JSON. `changeset` is
 * the last change to the catalogue or its Open311 settings, so clients know when to refresh their
 * cached service lists and definitions.
 */
export async function presentDiscovery(app: AppContext, settings: Open311Settings, baseUrl: string): Promise<Record<string, XmlValue>> {
  const last = await open311Repository.lastCatalogueChange(app.store.db);
  const changeset = zoned(last && last > ADAPTER_CHANGESET ? last : ADAPTER_CHANGESET, app.config.timeZone);
  return {
    changeset,
    contact: settings.contact,
    key_service: settings.keyService,
    endpoints: [{ specification: SPECIFICATION, url: baseUrl, changeset, type: 'production', formats: [CONTENT_TYPES.xml, CONTENT_TYPES.json] }],
    max_requests: settings.maxRequests,
  };
}
