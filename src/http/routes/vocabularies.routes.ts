import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../application/errors';
import { VOCABULARIES, vocabularyNamed, type Vocabulary } from '../../domain/shared/vocabularies';
import { problemResponses } from '../problem';

const TermSchema = z
  .object({
    code: z.string().describe('稳定的代码，请求与答复中使用它 / the stable code the API takes and gives'),
    zh: z.string().describe('中文名称，给人看的 / Chinese label to show people'),
    en: z.string().describe('英文名称 / English label'),
    official: z.string().optional().describe('法规中的正式用语（如有）/ the official term of the regulations, where one exists'),
  })
  .meta({ id: 'VocabularyTerm' });

const VocabularySchema = z
  .object({
    name: z.string().describe('代码表名称，如 relation、program / vocabulary name'),
    zh: z.string().describe('代码表的中文名称 / Chinese name of the vocabulary'),
    en: z.string().describe('代码表的英文名称 / English name of the vocabulary'),
    terms: z.array(TermSchema).describe('全部代码及其名称 / every code with its labels'),
  })
  .meta({ id: 'Vocabulary' });

/**
 * The code lists (vocabularies) of the API with their Chinese and English labels: public, like
 * /docs, so a front end can build its drop-downs and labels before anyone signs in.
 */
export const vocabularyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/vocabularies',
    {
      config: { public: true },
      schema: {
        operationId: 'listVocabularies',
        tags: ['reference'],
        summary: '全部代码表及中英文名称 / every vocabulary with its zh and en labels',
        response: { 200: z.object({ items: z.array(VocabularySchema).describe('全部代码表 / every vocabulary') }), ...problemResponses },
      },
    },
    async () => ({ items: VOCABULARIES.map(toBody) }),
  );
  app.get(
    '/api/v1/vocabularies/:name',
    {
      config: { public: true },
      schema: {
        operationId: 'getVocabulary',
        tags: ['reference'],
        summary: '一个代码表 / one vocabulary',
        params: z.object({ name: z.string().max(64).describe('代码表名称，如 relation、program、population_group / vocabulary name') }),
        response: { 200: VocabularySchema, ...problemResponses },
      },
    },
    async (request) => {
      const vocabulary = vocabularyNamed(request.params.name);
      if (!vocabulary) throw new NotFoundError('vocabulary', request.params.name);
      return toBody(vocabulary);
    },
  );
};

const toBody = (v: Vocabulary) => ({ ...v, terms: [...v.terms] });
