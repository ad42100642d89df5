import { useQuery } from '@tanstack/react-query';
import { useLanguage } from '../i18n/LanguageContext';
import { api } from './client';
import type { components } from './schema';
import { unwrap } from './problem';

export type Vocabulary = components['schemas']['Vocabulary'];

/** Every code list of the API, asked once per session (they change with a release, not a day). */
export function useVocabularies() {
  return useQuery({
    queryKey: ['vocabularies'],
    queryFn: async () => unwrap(await api.GET('/api/v1/vocabularies')).items,
    staleTime: Infinity,
  });
}

/** A code's label in the UI language, from the vocabulary that holds it; the code itself while loading or when unknown. */
export function labelOf(vocabularies: readonly Vocabulary[] | undefined, vocabulary: string, code: string, language: 'zh' | 'en'): string {
  const term = vocabularies?.find((v) => v.name === vocabulary)?.terms.find((t) => t.code === code);
  return term ? term[language] : code;
}

/** `label('visit_kind', 'home_visit')` in the UI language. */
export function useLabel(): (vocabulary: string, code: string) => string {
  const { data } = useVocabularies();
  const { language } = useLanguage();
  return (vocabulary, code) => labelOf(data, vocabulary, code, language);
}

/** The terms of one vocabulary as select options, labelled in the UI language. */
export function useOptions(vocabulary: string): { value: string; label: string }[] {
  const { data } = useVocabularies();
  const { language } = useLanguage();
  return (data?.find((v) => v.name === vocabulary)?.terms ?? []).map((t) => ({ value: t.code, label: t[language] }));
}
