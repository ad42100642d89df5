import { maskNationalId, maskPhone } from '../../domain/shared/national-id';

/** An 18-character ID number or a mainland mobile number anywhere in a text (not inside a longer number). */
const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

export function maskIdentifiersInText(text: string): string {
  return text.replace(ID_NUMBER, (m) => maskNationalId(m)).replace(MOBILE, (m) => maskPhone(m));
}

/**
 * Problem details are an output path too: whatever a rule or a validator put in a message,
 * no full ID number or phone number leaves in one (for any role: a refusal is no place to
 * learn them). Applied to every string of the problem, nested ones included.
 */
export function maskProblemDetails<T>(problem: T): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return maskIdentifiersInText(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(problem) as T;
}
