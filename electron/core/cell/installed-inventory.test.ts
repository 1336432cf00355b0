import { describe, expect, it } from 'vitest';
import { parseContainers } from './installed-inventory';

// `docker ps` lines as the status script frames them: service|state|status.
describe('container states from docker ps', () => {
  it('reads state and health, takes the least healthy of several, and says missing only when the runtime answered', () => {
    const of = parseContainers(
      [
        'web|running|Up 3 minutes (healthy)',
        'db|exited|Exited (1) 2 seconds ago',
        'loop|restarting|Restarting (1) 1 second ago',
        'warm|running|Up 2 seconds (health: starting)',
        'two|running|Up 1 hour (healthy)',
        'two|running|Up 1 hour (unhealthy)',
        'old||Up 5 minutes',
        'Bad Id|running|Up',
      ].join('\n'),
    );
    expect(of('web')).toEqual({ state: 'running', health: 'healthy', status: 'Up 3 minutes (healthy)' });
    expect(of('db')).toMatchObject({ state: 'exited', health: null });
    expect(of('loop')).toMatchObject({ state: 'restarting' });
    expect(of('warm')).toMatchObject({ state: 'running', health: 'starting' });
    expect(of('two')).toMatchObject({ state: 'running', health: 'unhealthy' });
    // A client that leaves .State empty: the status text decides.
    expect(of('old')).toMatchObject({ state: 'running', health: null });
    expect(of('gone')).toEqual({ state: 'missing', health: null, status: null });
    expect(parseContainers(null)('web')).toEqual({ state: 'unknown', health: null, status: null });
  });
});
