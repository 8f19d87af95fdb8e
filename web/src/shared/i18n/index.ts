import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'gridloop.locale';

/** A face's own strings, merged in when the face loads (so shared bundles stay small). */
export interface FaceMessages {
  'zh-CN': Record<string, unknown>;
  en: Record<string, unknown>;
}

function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

/** Switches the language of every face and remembers it in this browser. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** Adds a face's strings to both languages (idempotent). */
export function addFaceMessages(messages: FaceMessages): void {
  for (const locale of LOCALES) i18n.global.mergeLocaleMessage(locale, messages[locale] as never);
}
