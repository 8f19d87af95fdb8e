import { api, unwrap } from '../shared/api/client';

export type Category = Awaited<ReturnType<typeof loadCategories>>[number];
export type Department = Awaited<ReturnType<typeof loadDepartments>>[number];

async function loadCategories() {
  const first = await unwrap(api.GET('/api/v1/categories', { params: { query: { limit: 500 } } }));
  const items = [...first.items];
  for (let offset = 500; offset < first.total; offset += 500) {
    items.push(...(await unwrap(api.GET('/api/v1/categories', { params: { query: { limit: 500, offset } } }))).items);
  }
  return items;
}

async function loadDepartments() {
  return (await unwrap(api.GET('/api/v1/departments'))).items;
}

// Reference data changes rarely: each is read once per page load and shared by every page.
let categories: ReturnType<typeof loadCategories> | null = null;
let departments: ReturnType<typeof loadDepartments> | null = null;

/** The category catalogue (cached); a failed read is retried on the next call. */
export function getCategories() {
  categories ??= loadCategories().catch((err) => {
    categories = null;
    throw err;
  });
  return categories;
}

/** The departments (cached). */
export function getDepartments() {
  departments ??= loadDepartments().catch((err) => {
    departments = null;
    throw err;
  });
  return departments;
}

/** Forgets cached reference data after an admin edit. */
export function forgetReference(): void {
  categories = null;
  departments = null;
}

/** Classes of the catalogue in code order, each with its name. */
export function classesOf(items: Category[]): { code: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const c of items) if (!seen.has(c.classCode)) seen.set(c.classCode, c.className);
  return [...seen].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
}

/** Lazy loader for an org-unit cascader rooted at the signed-in user's unit. */
export async function orgChildren(parent: string | null, root: { code: string; name: string; level: string }) {
  if (!parent) return [{ value: root.code, label: root.name, leaf: root.level === 'grid' }];
  const page = await unwrap(api.GET('/api/v1/org-units', { params: { query: { parent, limit: 500 } } }));
  return page.items.map((u) => ({ value: u.code, label: u.name, leaf: u.level === 'grid' }));
}
