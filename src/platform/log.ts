import pino from 'pino';

// Personal data never reaches the logs: these fields are cut wherever they appear (等保 / R-P14).
const REDACT = [
  'password', '*.password', 'totp', '*.totp', 'code', '*.code', 'idNumber', '*.idNumber', 'id_number', '*.id_number',
  'req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
];

/** A JSON logger to stdout, or to `destination` (tests read what was logged). */
export function createLogger(level: string, destination?: pino.DestinationStream) {
  const options = { level, redact: { paths: REDACT, censor: '[已隐去]' } };
  return destination ? pino(options, destination) : pino(options);
}
export type Logger = ReturnType<typeof createLogger>;
