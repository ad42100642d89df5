import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { readLanguage, saveLanguage, type Bilingual, type Language } from './language';

interface LanguageState {
  language: Language;
  setLanguage: (language: Language) => void;
  /** The console's own text in the UI language. */
  t: (text: Bilingual) => string;
}

const LanguageContext = createContext<LanguageState>({ language: 'zh', setLanguage: () => {}, t: (text) => text.zh });

export function LanguageProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(() => initial ?? readLanguage());
  const setLanguage = useCallback((next: Language) => {
    saveLanguage(next);
    setLanguageState(next);
  }, []);
  const value = useMemo(() => ({ language, setLanguage, t: (text: Bilingual) => text[language] }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export const useLanguage = (): LanguageState => useContext(LanguageContext);
