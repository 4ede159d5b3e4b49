// Proves the process guard recognises only postgres.js's closed-socket write, nothing else.
import { describe, expect, it } from 'vitest';
import { isPostgresClosedSocketWrite } from './processGuards.ts';

function errorWithStack(ctor: ErrorConstructor, message: string, stack: string): Error {
  const err = new ctor(message);
  err.stack = `${ctor.name}: ${message}\n${stack}`;
  return err;
}

describe('isPostgresClosedSocketWrite', () => {
  it('matches the TypeError thrown from postgres.js nextWrite', () => {
    const err = errorWithStack(TypeError, "Cannot read properties of null (reading 'write')", '    at Immediate.nextWrite (/app/node_modules/postgres/src/connection.js:255:22)');
    expect(isPostgresClosedSocketWrite(err)).toBe(true);
  });

  it('does not match the same message from elsewhere, or other errors', () => {
    expect(isPostgresClosedSocketWrite(errorWithStack(TypeError, "Cannot read properties of null (reading 'write')", '    at Object.write (/app/src/mine.ts:1:1)'))).toBe(false);
    expect(isPostgresClosedSocketWrite(errorWithStack(Error, "Cannot read properties of null (reading 'write')", '    at nextWrite (/app/node_modules/postgres/src/connection.js:1:1)'))).toBe(false);
    expect(isPostgresClosedSocketWrite('reading write')).toBe(false);
  });
});
