/**
 * The console's language: zh (default) or en. Kept in a cookie, which holds no personal data and
 * outlives the tab, so the next visit opens in the same language.
 */
export type Language = 'zh' | 'en';

const COOKIE = 'console-lang';

export function readLanguage(cookie: string = document.cookie): Language {
  const match = /(?:^|;\s*)console-lang=(zh|en)(?:;|$)/.exec(cookie);
  return match?.[1] === 'en' ? 'en' : 'zh';
}

export function saveLanguage(language: Language): void {
  document.cookie = `${COOKIE}=${language}; path=/; max-age=31536000; SameSite=Strict`;
}

/** The Accept-Language the API is asked in: its problem titles and details follow it. */
export const acceptLanguageOf = (language: Language): string => (language === 'en' ? 'en' : 'zh-CN');

/** A label in the UI language: the console's own strings are written in both. */
export type Bilingual = { zh: string; en: string };
export const pick = (text: Bilingual, language: Language): string => text[language];
