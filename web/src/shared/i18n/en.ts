import type zhCN from './zh-CN';

/** Shared strings in English; the shape must match zh-CN (checked by i18n.test.ts). */
const en: typeof zhCN = {
  app: { name: 'Gridloop', fullName: 'Gridloop', tagline: 'City operations · grid governance · closed-loop handling' },
  lang: { label: 'Language', 'zh-CN': '中文', en: 'English' },
  common: {
    loading: 'Loading…',
    retry: 'Retry',
    empty: 'Nothing here yet',
    home: 'Back to home',
    cancel: 'Cancel',
    confirm: 'OK',
    save: 'Save',
    close: 'Close',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {name}',
    loadFailed: 'Could not load: {message}',
  },
  landing: {
    welcome: 'Welcome to',
    cityUnknown: 'City operations platform',
    intro: 'Report, register, dispatch, handle, check, close: every city case closes its loop on time.',
    faces: 'Enter',
    desk: { title: 'Workbench', text: 'Take in, verify, dispatch and supervise city cases in one place.' },
    screen: { title: 'City at a glance', text: 'The whole city, its traffic lights and KPIs on one screen.' },
    report: { title: 'Citizen services', text: 'Report a problem with a photo, track it by number and rate it.' },
    footer: 'Open-source city operations and grid governance',
  },
  login: {
    title: 'Sign in',
    subtitle: 'Staff sign in with their Gridloop account',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    invalid: 'Wrong user name or password. Please try again.',
    locked: 'Too many failed attempts. Try again in {minutes} minutes.',
    lockedSoon: 'Too many failed attempts. Try again later.',
    required: 'Enter your user name and password.',
    failed: 'Sign-in failed: {message}',
  },
  notFound: { title: 'Page not found', text: 'The page you asked for does not exist or is not open yet.' },
  forbidden: { title: 'No permission', text: 'You are not allowed to see this.' },
  errors: {
    network_error: 'Network error. Check your connection and try again.',
    unauthorized: 'Your session has ended. Please sign in again.',
    forbidden: 'You are not allowed to do this.',
    version_conflict: 'Someone else acted on this case first. The page now shows the latest state; check it and try again.',
    validation_failed: 'Invalid input: {message}',
    generic: 'That did not work: {message}',
  },
};
export default en;
