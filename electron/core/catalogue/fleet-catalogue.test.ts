import { describe, expect, it } from 'vitest';
import { explainFleetCode, explainPlanRow, FLEET_CATALOGUE_CODES, fleetOutcomeWords, fleetRunSentence } from './fleet-catalogue';
import { ROLES } from './reason-catalogue';

const e = { cell: 'f1', service: 'Web', detail: 'the detail.' };
/** Every code a plan row's reason or a cell turn's error can carry (plan.ts rowOf, cell-turn.ts, ssh-errors.ts). */
const USED = ['ALREADY_CURRENT', 'DIGEST_UNRESOLVED', 'RUNTIME_MISSING', 'DIGEST_MISMATCH', 'CELL_COSIGN_REJECTED', 'SIGNER_CHANGED', 'CELL_UNREACHABLE', 'CELL_TIMEOUT', 'HOST_KEY_UNKNOWN', 'HOST_KEY_CHANGED', 'AUTH_FAILED', 'CONNECTION_LOST', 'SSH_FAILED', 'CANCELLED', 'CELL_CHANGED', 'BLOCKED', 'UPDATE_NEEDS_REVIEW', 'SIGNATURE_NOT_FOUND'];

describe('fleet catalogue', () => {
  it('words every code a fleet plan or run uses, with a next step per role, none falling back to the generic entry', () => {
    for (const code of USED) {
      const x = explainFleetCode(code, e);
      expect(x.code, code).toBe(code);
      expect(x.title, code).not.toBe('Install failed');
      expect(x.title).not.toMatch(/^[A-Z_]+$/);
      for (const r of ROLES) expect(x.next[r].length, `${code} ${r}`).toBeGreaterThan(5);
    }
    expect(FLEET_CATALOGUE_CODES).toContain('HOST_KEY_UNKNOWN');
  });
  it('fills the sentence from the evidence; an unknown code still reads as plain words with core\'s message', () => {
    expect(explainFleetCode('CELL_UNREACHABLE', { ...e, detail: 'cannot reach f1: refused' }).sentence).toContain('cannot reach f1: refused');
    expect(explainFleetCode('COMPOSE_FAILED', { ...e, detail: 'compose up exited 1' })).toMatchObject({ title: 'Install failed', sentence: 'The install on f1 failed (compose up exited 1).' });
    // A failed step's output stays in the cell's receipt; the sentence keeps its first line.
    expect(explainFleetCode('COMPOSE_FAILED', { ...e, detail: 'up failed on the cell:\nPulling web ...\nerror' }).sentence).toBe('The install on f1 failed (up failed on the cell).');
    expect(explainPlanRow({ cell: 'f1', reason: null, detail: '' } as never, 'Web')).toBeNull();
    // A verdict in a row: the block it caused in an enforcing cell, or what a warn/off cell lets through.
    expect(explainPlanRow({ cell: 'f1', action: 'blocked', reason: 'SIGNATURE_NOT_FOUND', detail: 'no signature' } as never, 'Web')?.sentence).toMatch(/^f1 enforces verification .* will not be installed there: no signature\.$/);
    expect(explainPlanRow({ cell: 'f1', action: 'install', reason: 'SIGNATURE_NOT_FOUND', detail: 'no signature' } as never, 'Web')?.sentence).toMatch(/mode allows the install anyway\.$/);
  });
  it('words an unreachable cell differently in a plan and at its turn in a run', () => {
    const e = { cell: 'f9', service: 'Web', detail: 'connection refused' };
    expect(explainFleetCode('CELL_UNREACHABLE', e).sentence).toBe('f9 could not be reached, so it was not planned and takes no part in the run (connection refused).');
    expect(explainFleetCode('CELL_UNREACHABLE', { ...e, atTurn: true }).sentence).toBe('f9 could not be reached at its turn, so it counts as failed and nothing was installed on it (connection refused).');
    expect(explainFleetCode('CELL_TIMEOUT', e).sentence).toContain('while the plan was made, so it was not planned');
    expect(explainFleetCode('CELL_TIMEOUT', { ...e, atTurn: true }).sentence).toContain('counts as failed without holding up the other cells');
  });
  it('words outcomes; a cell a retry left out is not "not tried"', () => {
    expect(fleetOutcomeWords('not-tried')).toBe('Not tried');
    expect(fleetOutcomeWords('not-tried', false)).toBe('Not part of this retry');
    expect(fleetOutcomeWords('rejected')).toBe('Refused at its turn');
  });
  it('says how a run ended: completed, threshold, every canary failed, stopped between batches, cancelled', () => {
    const r = { batches: [['a'], ['b'], ['c', 'd']], settings: { batches: [1], maxFailPercent: 30, concurrency: 5 } };
    expect(fleetRunSentence({ ...r, stoppedAfterBatch: null, stopReason: null })).toBe('Completed: every batch had its turn (3 batches).');
    expect(fleetRunSentence({ ...r, stoppedAfterBatch: 2, stopReason: 'threshold' })).toContain('more than 30% of that batch failed');
    expect(fleetRunSentence({ ...r, stoppedAfterBatch: 1, stopReason: 'all-failed' })).toContain('(the canary)');
    expect(fleetRunSentence({ ...r, batches: [['a', 'b'], ['c']], stoppedAfterBatch: 1, stopReason: 'all-failed' })).toBe('Stopped after batch 1 of 2: every cell of that batch failed, so no later cell was touched.');
    expect(fleetRunSentence({ ...r, stoppedAfterBatch: 1, stopReason: 'stopped' })).toMatch(/^Stopped after batch 1 of 3, as asked/);
    expect(fleetRunSentence({ ...r, stoppedAfterBatch: 2, stopReason: 'cancelled' })).toMatch(/^Cancelled after batch 2 of 3/);
  });
});
