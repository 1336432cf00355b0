import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../scripts/testbed/electron-fake'));

import { Notification, shell } from '../../scripts/testbed/electron-fake';
import type { UpdatesView } from '../ipc/contract/channels/cells';
import { EventHub } from '../ipc/main/event-hub';
import { openServiceAddress } from './security-guards';
import { notifyUpdates } from './update-notifications';

const view = (over: Partial<UpdatesView>): UpdatesView => ({ checking: false, checkedAt: '2026-12-04T11:00:00Z', cells: [], stores: [], notices: [], ...over });
const notice = { cellId: 'c1', serviceId: 'tool', state: 'revoked' as const, title: 'Withdrawn by the store', body: 'Old tool on cell: a flaw' };

describe('update notifications (Electron glue)', () => {
  beforeEach(() => {
    Notification.shown = [];
  });

  it('shows one system notification per notice of a finished check, none while checking or for other events', () => {
    const hub = new EventHub();
    const stop = notifyUpdates(hub);
    hub.emit('cells:updated', view({ checking: true, notices: [notice] }));
    hub.emit('cells:changed', []);
    expect(Notification.shown).toEqual([]);
    hub.emit('cells:updated', view({ notices: [notice, { ...notice, serviceId: 'web', state: 'update', title: 'Update available', body: 'Web on cell: 1.0 → 2.0' }] }));
    expect(Notification.shown).toEqual([
      { title: 'Withdrawn by the store', body: 'Old tool on cell: a flaw' },
      { title: 'Update available', body: 'Web on cell: 1.0 → 2.0' },
    ]);
    stop();
    hub.emit('cells:updated', view({ notices: [notice] }));
    expect(Notification.shown).toHaveLength(2);
  });
});

describe('openServiceAddress', () => {
  it('hands plain http addresses to the OS and refuses any other scheme or credentials', async () => {
    shell.openExternal.mockClear();
    expect(await openServiceAddress(new URL('http://127.0.0.1:8080/'))).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('http://127.0.0.1:8080/');
    expect(await openServiceAddress(new URL('file:///etc/passwd'))).toBe(false);
    expect(await openServiceAddress(new URL('http://user:pw@127.0.0.1:8080/'))).toBe(false);
    expect(await openServiceAddress(new URL('javascript:alert(1)'))).toBe(false);
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });
});
