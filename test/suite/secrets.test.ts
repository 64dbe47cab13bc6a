import { describe, expect, it } from 'vitest';
import { isEnvRef, redactor, SecretResolver } from '../../src/suite/secrets.js';

describe('SecretResolver', () => {
  it('replaces references anywhere in a value and keeps the values for redaction', () => {
    const resolver = new SecretResolver({ TOKEN: 'tok-123', KEY: 'key-9' });
    const value = resolver.resolve(
      { auth: { env: 'TOKEN', prefix: 'Bearer ' }, list: [{ env: 'KEY' }, 'plain'] },
      ['body'],
    );
    expect(value).toEqual({ auth: 'Bearer tok-123', list: ['key-9', 'plain'] });
    expect(resolver.values).toEqual(['tok-123', 'key-9']);
    expect(resolver.problems).toEqual([]);
  });

  it('names an unset or empty variable with its key path', () => {
    const resolver = new SecretResolver({ EMPTY: '' });
    resolver.resolve({ a: { env: 'MISSING' }, b: { env: 'EMPTY' } }, ['checks', 0, 'body']);
    expect(resolver.problems).toEqual([
      {
        path: ['checks', 0, 'body', 'a'],
        message: expect.stringContaining('environment variable MISSING is not set'),
      },
      {
        path: ['checks', 0, 'body', 'b'],
        message: expect.stringContaining('environment variable EMPTY is empty'),
      },
    ]);
  });

  it('refuses a credential header written into the file', () => {
    const resolver = new SecretResolver({});
    const headers = resolver.headers({ Authorization: 'Bearer abc', 'X-Tenant': 'a' }, ['h']);
    expect(headers).toEqual({ 'X-Tenant': 'a' });
    expect(resolver.problems[0]).toMatchObject({
      path: ['h', 'Authorization'],
      message: expect.stringContaining('use {env: NAME}'),
    });
  });
});

describe('isEnvRef', () => {
  it('takes only mappings whose keys are env and prefix', () => {
    expect(isEnvRef({ env: 'A' })).toBe(true);
    expect(isEnvRef({ env: 'A', prefix: 'x' })).toBe(true);
    expect(isEnvRef({ env: 'staging', region: 'eu' })).toBe(false);
    expect(isEnvRef(['env'])).toBe(false);
  });
});

describe('redactor', () => {
  it('cuts every secret, the longer one first', () => {
    const redact = redactor(['abc', 'abcdef', '']);
    expect(redact('key abcdef and abc')).toBe('key [redacted] and [redacted]');
  });
});
