import { describe, expect, it } from 'vitest';
import { parseAuthChallenge } from './auth-challenge';

describe('parseAuthChallenge', () => {
  it('reads a bearer challenge', () => {
    expect(parseAuthChallenge('Bearer realm="https://auth.example/token",service="images.example",scope="repository:a/b:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'images.example', scope: 'repository:a/b:pull' },
    });
  });
  it('reads basic and unquoted values', () => {
    expect(parseAuthChallenge('Basic realm=reg')).toEqual({ scheme: 'basic', params: { realm: 'reg' } });
    expect(parseAuthChallenge(undefined)).toBeNull();
  });
});
