import { describe, expect, it } from 'vitest';
import { classifySshFailure, sshFailure } from './ssh-errors';

describe('classifySshFailure', () => {
  it.each([
    ['@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n...\nHost key verification failed.\n', 'HOST_KEY_CHANGED'],
    ['No ED25519 host key is known for [127.0.0.1]:2201 and you have requested strict checking.\nHost key verification failed.\n', 'HOST_KEY_UNKNOWN'],
    ['pic@127.0.0.1: Permission denied (publickey).\n', 'AUTH_FAILED'],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused\n', 'CELL_UNREACHABLE'],
    ['Connection timed out during banner exchange\nConnection to 127.0.0.1 port 2201 timed out\n', 'CELL_TIMEOUT'],
    ['Timeout, server 127.0.0.1 not responding.\n', 'CELL_TIMEOUT'],
    ['Connection to 127.0.0.1 closed by remote host.\n', 'CONNECTION_LOST'],
    ['something else\n', 'SSH_FAILED'],
    ['', 'CONNECTION_LOST'],
  ])('%j → %s', (stderr, code) => {
    expect(classifySshFailure(stderr)).toBe(code);
  });

  it('explains a changed key plainly and keeps stderr for helpdesk', () => {
    const e = sshFailure('HOST_KEY_CHANGED', 'cell', 'REMOTE HOST IDENTIFICATION HAS CHANGED!');
    expect(e.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED.*man-in-the-middle/);
    expect(e.details?.stderr).toContain('CHANGED');
  });
});
