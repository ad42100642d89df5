import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { CasesService, Written } from '../../../application/assistance/cases.service';
import type { Clock } from '../../../application/clock';
import type { CommandContext } from '../../../application/command-handler';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { answerWritten } from '../../route-helpers';
import { IdParamsSchema, NoContent, PreferHeaders } from '../../schemas';
import {
  AcceptBody,
  DataCheckBody,
  EmergencyGrantBody,
  ExtendReviewBody,
  FactsBody,
  HomeInvestigationBody,
  NeighbourInterviewBody,
  NoticeBody,
  ObjectionBody,
  ReasonsBody,
  RefusalNoticeBody,
} from './case-steps.schemas';
import { CaseSchema } from './cases.schemas';

/** What a step does with the case id and its validated body; it answers the case's new version. */
type StepRun<B extends z.ZodType> = (context: CommandContext, caseId: string, body: z.output<B>) => Promise<Written>;

/**
 * The steps of a case, each `POST /api/v1/cases/:id/<step>` answering the case as it now stands
 * with its new ETag, or only the ETag (204) to a client that says `Prefer: return=minimal`.
 */
export const caseStepRoutes: FastifyPluginAsyncZod<{ cases: CasesService; clock: Clock }> = async (app, { cases, clock }) => {
  const step = <B extends z.ZodType>(path: string, summary: string, body: B, run: StepRun<B>) =>
    app.post(
      `/api/v1/cases/:id/${path}`,
      {
        schema: {
          tags: ['assistance'],
          summary,
          params: IdParamsSchema,
          headers: PreferHeaders,
          body,
          response: { 200: CaseSchema, 204: NoContent, ...problemResponses },
        },
      },
      async (request, reply) => {
        const context = commandContext(request, clock);
        const written = await run(context, request.params.id, request.body as z.output<B>);
        return answerWritten(request, reply, written, () => cases.get(context, request.params.id));
      },
    );

  step('accept', 'Accept the application (town)', AcceptBody, (c, id, b) => cases.accept(c, id, b.acceptedOn));
  step('extend-review', 'Extend the review deadline (40 working days) with a reason', ExtendReviewBody, (c, id, b) => cases.extend(c, id, b.reason));
  step('facts', "Record the household's economic facts (the program's facts schema)", FactsBody, (c, id, b) => cases.recordFacts(c, id, b.facts));
  step(
    'home-investigations',
    'Record a home investigation by at least two workers (county-level when a county worker took part)',
    HomeInvestigationBody,
    (c, id, b) => cases.recordHomeInvestigation(c, id, b),
  );
  step('neighbour-interviews', 'Record a neighbour interview', NeighbourInterviewBody, (c, id, b) => cases.recordInterview(c, id, b));
  step('data-checks', "Record an information check against another department's data", DataCheckBody, (c, id, b) => cases.recordDataCheck(c, id, b));
  step('notice', 'Post the public notice in the village for the policy period', NoticeBody, (c, id, b) => cases.postNotice(c, id, b.postedOn));
  step('objections', 'Record an objection: back to investigation, then a new notice', ObjectionBody, (c, id, b) => cases.recordObjection(c, id, b));
  step('decision', 'Decide: the rules run on the recorded facts under the policy in force today', ReasonsBody, (c, id, b) => cases.decide(c, id, b));
  step('emergency-grant', 'Assistance first (先行救助): grant an emergency temporary case now, paperwork after', EmergencyGrantBody, (c, id, b) =>
    cases.grantEmergency(c, id, b),
  );
  step('emergency-completion', "Complete an emergency case's paperwork", ReasonsBody, (c, id, b) => cases.completeEmergency(c, id, b));
  step('review', 'Dynamic review (动态复核): continue, adjust or stop (应退尽退)', ReasonsBody, (c, id, b) => cases.review(c, id, b));
  step('refusal-notice', 'Record that the written refusal was delivered', RefusalNoticeBody, (c, id, b) => cases.notifyRefusal(c, id, b.on));
};
