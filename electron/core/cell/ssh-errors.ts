// Turns what the ssh client printed when it gave up (exit 255) into a CoreError a person can act
// on. The raw stderr stays in `details` for helpdesk.
import { CoreError, type SshFailureCode } from '../errors';

export type { SshFailureCode };

export function classifySshFailure(stderr: string): SshFailureCode {
  // A multiplexed session whose server side died ends with 255 and no word from ssh at all.
  if (stderr.trim() === '') return 'CONNECTION_LOST';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)) return 'HOST_KEY_CHANGED';
  if (/Host key verification failed|No \S+ host key is known for/i.test(stderr)) return 'HOST_KEY_UNKNOWN';
  if (/Permission denied \(|Too many authentication failures|no more authentication methods/i.test(stderr)) return 'AUTH_FAILED';
  if (/timed out|Timeout, server .* not responding|Connection timed out/i.test(stderr)) return 'CELL_TIMEOUT';
  if (/Connection refused|Could not resolve hostname|No route to host|Network is unreachable|Name or service not known/i.test(stderr)) {
    return 'CELL_UNREACHABLE';
  }
  if (/closed by remote host|Connection closed by|Connection reset|Broken pipe|kex_exchange_identification|mux_client_read_packet/i.test(stderr)) {
    return 'CONNECTION_LOST';
  }
  return 'SSH_FAILED';
}

/** The last meaningful lines of ssh's stderr, without the noise of warnings we already explain. */
function sshStderrTail(stderr: string, lines = 3): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^@+$/.test(l) && !/^Warning: Permanently added/.test(l))
    .slice(-lines)
    .join(' / ');
}

export function sshFailure(code: SshFailureCode, where: string, stderr: string, extra?: Record<string, unknown>): CoreError {
  const tail = sshStderrTail(stderr);
  const messages: Record<SshFailureCode, string> = {
    HOST_KEY_UNKNOWN: `the host key of ${where} is not known yet; confirm its fingerprint before connecting (nothing was sent to the cell)`,
    HOST_KEY_CHANGED:
      `REMOTE HOST IDENTIFICATION HAS CHANGED for ${where}: the cell presented a different host key than the one recorded. ` +
      'Someone could be intercepting the connection (man-in-the-middle), or the cell was reinstalled. Nothing was sent. ' +
      'If the change is expected, check the new key with the cell\'s owner, remove the old entry (ssh-keygen -R) and confirm the new key.',
    AUTH_FAILED: `${where} refused the login (${tail || 'authentication failed'}); check the user name and that your key is in the cell's authorized_keys or loaded in your ssh-agent`,
    CELL_UNREACHABLE: `cannot reach ${where}: ${tail || 'connection failed'}`,
    CELL_TIMEOUT: `${where} did not answer in time (${tail || 'timed out'})`,
    CONNECTION_LOST: `the connection to ${where} was lost: ${tail || 'the session ended without an exit status (closed by the remote host)'}`,
    SSH_FAILED: `ssh to ${where} failed: ${tail || 'exit status 255'}`,
  };
  return new CoreError(code, messages[code], { stderr: stderr.slice(-4000), ...extra });
}
