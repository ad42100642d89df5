import type { FastifyRequest } from 'fastify';
import { maskProblemDetails } from '../application/privacy/problem-masking';
import { toProblem } from './error-handler';
import { languageOf, problemTitle } from './messages';
import { PROBLEM_BASE, type Problem } from './problem';

/**
 * The problem a refused item of a batch answers with: what the single request would have
 * answered (type, status, Chinese title and detail by Accept-Language, masked as every problem
 * is). An error that is no problem (a fault of ours) is thrown on, so the whole request answers
 * 500 and is logged; the batch's recorded items answer again when the caller retries with the
 * same item keys.
 */
export function problemOfItem(request: FastifyRequest, error: unknown): Problem {
  const language = languageOf(request);
  const mapped = toProblem(error, language);
  if (!mapped) throw error;
  const title = problemTitle(mapped.type.slice(PROBLEM_BASE.length), language) ?? mapped.title;
  return maskProblemDetails({ ...mapped, title });
}
