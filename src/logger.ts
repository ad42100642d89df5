import pino, { type Logger } from 'pino';

/**
 * Personal data never reaches the logs: ID numbers, phone numbers and health fields are
 * censored wherever they appear in a logged object (up to three levels deep), and so are
 * credentials.
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
  ...SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'social-work-stations' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
