import { describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors';
import { validateIndex } from '../../core/store/validate';
import { findServiceInStores } from './install';

const svc = (id: string, ok = true) => ({ index: 0, id, manifest: ok ? { id, name: id, version: '1', image: `r.lan/x@sha256:${'0'.repeat(64)}` } : null, raw: {}, errors: ok ? [] : [{ path: '/name', message: 'must not be empty' }] });

describe('findServiceInStores', () => {
  const stores = [{ name: 'A', url: 'a' }, { name: 'B', url: 'b' }, { name: 'C', url: 'c' }];
  it('a store that fails to load does not stop the lookup; it is returned as unreadable', async () => {
    const r = await findServiceInStores('x', stores, async (url) => {
      if (url === 'a') throw new CoreError('INDEX_UNREADABLE', 'gone');
      return { name: url.toUpperCase(), services: url === 'c' ? [svc('x')] : [svc('y')] };
    });
    expect(r.found.map((f) => f.store?.url)).toEqual(['c']);
    expect(r.unreadable.map((u) => [u.store.name, (u.error as Error).message])).toEqual([['A', 'gone']]);
  });

  it('found in several stores → all of them; an invalid listing of the id is an error', async () => {
    const all = await findServiceInStores('x', stores, async (url) => ({ name: url, services: [svc('x')] }));
    expect(all.found).toHaveLength(3);
    await expect(findServiceInStores('x', stores, async (url) => ({ name: url, services: [svc('x', url !== 'b')] }))).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it('a repeated id: the first entry keeps its install; the later duplicate is never picked', async () => {
    const image = (n: number) => `r.lan/x@sha256:${String(n).repeat(64)}`;
    const v = validateIndex({ schemaVersion: 1, name: 'S', services: [{ id: 'x', name: 'First', version: '1', image: image(1) }, { id: 'x', name: 'Later', version: '2', image: image(2) }] });
    if (!v.ok) throw new Error('index should load');
    const r = await findServiceInStores('x', [stores[0]!], async () => ({ name: 'A', services: v.index.services }));
    expect(r.found.map((f) => f.manifest.image)).toEqual([image(1)]);
  });
});
