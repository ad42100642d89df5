import { describe, expect, it } from 'vitest';
import { maskIdentifiersInText, maskProblemDetails } from '../../src/application/privacy/problem-masking';
import { idNumber } from '../support/national-ids';

describe('problem details carry no full ID or phone numbers', () => {
  const id = idNumber('1950-06-01', 11);

  it('masks ID numbers and mobile numbers anywhere in a text', () => {
    expect(maskIdentifiersInText(`身份证 ${id}，电话13812345678。`)).toBe(`身份证 530626**********${id.slice(-2)}，电话138****5678。`);
  });

  it('leaves ids, dates and longer digit runs alone', () => {
    const text = 'household 0b9c2a84-1111-4222-8333-444455556666 on 2023-06-01, batch 1234567890123456789012';
    expect(maskIdentifiersInText(text)).toBe(text);
  });

  it('masks every string of a problem, nested ones included', () => {
    const masked = maskProblemDetails({
      type: '/problems/validation',
      status: 400,
      detail: `bad ${id}`,
      errors: [{ path: 'body.phone', message: '13812345678 is taken' }],
    });
    expect(JSON.stringify(masked)).not.toContain(id);
    expect(masked.errors[0]!.message).toBe('138****5678 is taken');
    expect(masked.status).toBe(400);
  });
});
