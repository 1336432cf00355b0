import { describe, expect, it } from 'vitest';
import { connectArgv, DEFAULT_SSH_TIMEOUTS, forcedOptions, parseSshG, sshPathWord } from './ssh-options';
import { adHocProfile } from './profiles';

describe('ssh argv', () => {
  const forced = forcedOptions({
    dataDir: '/data dir',
    controlDir: '/tmp/cm',
    target: { userKnownHostsFiles: ['/root/.ssh/known_hosts', '/root/.ssh/known_hosts2'] },
    timeouts: DEFAULT_SSH_TIMEOUTS,
  });

  it('forces strict host-key checking, batch mode and both known_hosts files on the command line', () => {
    expect(forced).toContain('StrictHostKeyChecking=yes');
    expect(forced).toContain('BatchMode=yes');
    expect(forced).toContain('UserKnownHostsFile=/root/.ssh/known_hosts /root/.ssh/known_hosts2 "/data dir/known_hosts"');
    expect(forced).toContain('ControlPath=/tmp/cm/%C');
  });

  it('puts the destination after -- and the config/port/identity before it', () => {
    const p = adHocProfile({ destination: 'admin@cell', port: 2222, identityFile: '/k', sshConfig: '/cfg' });
    const argv = connectArgv(p, forced, 'sh -s');
    expect(argv.slice(0, 6)).toEqual(['-F', '/cfg', '-p', '2222', '-i', '/k']);
    expect(argv.slice(-3)).toEqual(['--', 'admin@cell', 'sh -s']);
  });

  it('never lets an option-like destination through, even if a profile was forged', () => {
    const p = { ...adHocProfile({ destination: 'cell' }), destination: '-oProxyCommand=touch /tmp/x' };
    expect(() => connectArgv(p, forced, 'true')).toThrow(/starts with "-"/);
  });

  it('quotes paths with spaces the way ssh parses them and refuses quotes', () => {
    expect(sshPathWord('/a b')).toBe('"/a b"');
    expect(() => sshPathWord('/a"b')).toThrow();
  });

  it('parses ssh -G output', () => {
    const t = parseSshG('user pic\nhostname 127.0.0.1\nport 2201\nuserknownhostsfile /a /b\nglobalknownhostsfile /etc/ssh/ssh_known_hosts\nidentityfile ~/.ssh/id_ed25519\nproxycommand none\n');
    expect(t).toMatchObject({ hostname: '127.0.0.1', port: 2201, user: 'pic', userKnownHostsFiles: ['/a', '/b'], proxied: false });
  });
});
