import { describe, expect, it } from 'vitest';
import { canOpenBrowser, openerCommand } from './open-browser';

describe('opening a browser', () => {
  it('opens only with a display, never in CI or with PIC_STORE_NO_BROWSER=1', () => {
    expect(canOpenBrowser({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({}, 'linux')).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ':0', CI: 'true' }, 'linux')).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ':0', PIC_STORE_NO_BROWSER: '1' }, 'linux')).toBe(false);
    expect(canOpenBrowser({}, 'darwin')).toBe(true);
  });

  it('passes its argument (a hand-over file or an external URL) as one argv element to the platform opener', () => {
    const url = '/tmp/pic-store-shell-x/open.html;rm -rf ~';
    expect(openerCommand(url, 'linux')).toEqual(['xdg-open', [url]]);
    expect(openerCommand(url, 'darwin')).toEqual(['open', [url]]);
  });
});
