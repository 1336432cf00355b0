import { describe, expect, it } from 'vitest';
import type { CellStatus } from '../../core/cell/status';
import { formatCellStatus } from './cell';

describe('pic-store cell status, human text', () => {
  it('prints what the cell provided with control characters escaped: one line per field, no escape sequences', () => {
    const ESC = '\x1b';
    const status = {
      destination: 'cell', root: '/opt/pic', rootIsDefault: true, rootExists: true,
      mode: { value: 'enforce', source: 'fail-closed', detail: `cell_config.json cannot be read (${ESC}[2J)` },
      cellKey: null, cellKeyProblem: `config/cosign/cosign.pub: ${ESC}]0;owned\x07`,
      runtime: 'docker compose', runtimeVersion: `2.0${ESC}[8m`, cosign: `v2.5${ESC}[31m\n  installed (0):`,
      installed: [{ id: 'web', name: 'Web', version: `1.0\r`, digest: null, problem: `receipt names service "x${ESC}[1A"` }],
      skipped: [], banner: `enforce — config unreadable (${ESC}[2J) (failing closed)`, notes: [], checkedAt: '', elapsedMs: 0,
    } as CellStatus;
    const text = formatCellStatus(status);
    // eslint-disable-next-line no-control-regex -- the test looks for exactly these
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text).toContain('v2.5\\x1b[31m\\x0a  installed (0):');
    expect(text.split('\n').filter((l) => l.startsWith('  installed ('))).toEqual(['  installed (1):']);
  });
});
