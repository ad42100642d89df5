import pino, { type Logger } from 'pino';
import { redactValues } from './logging/redact-values';
import { errorSerializer, replySerializer, requestSerializer } from './logging/serializers';

/**
 * Personal data never reaches the logs: ID numbers, phone numbers and health fields are
 * censored wherever they appear in a logged object (up to three levels deep), and so are
 * credentials. Beyond the keys, every finished line is scanned for ID-number and phone patterns
 * (redaction by value), errors are logged without their payloads and requests without their
 * headers and query values.
 */
const SENSITIVE_KEYS = [
  'idNumber',
  'nationalId',
  'nationalIdNumber',
  'phone',
  'phoneNumber',
  'health',
  'disability',
  'disabilityType',
  'disabilityGrade',
  'seriousIllness',
  'illness',
  'mentalDisorder',
  'password',
  'secret',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query',
  'req.body',
  ...SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'social-work-stations' },
      serializers: { err: errorSerializer, error: errorSerializer, req: requestSerializer, res: replySerializer },
      hooks: { streamWrite: redactValues },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
