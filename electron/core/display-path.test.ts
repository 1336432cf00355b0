import { describe, expect, it } from 'vitest';
import { homeRelativePath } from './display-path';

describe('homeRelativePath', () => {
  it('shows a path under home as ~/…', () => {
    expect(homeRelativePath('/home/ada/.config/pic-store-manager/trust', '/home/ada')).toBe('~/.config/pic-store-manager/trust');
  });
  it('shows home itself as ~ and tolerates a trailing slash on home', () => {
    expect(homeRelativePath('/home/ada', '/home/ada')).toBe('~');
    expect(homeRelativePath('/home/ada/x', '/home/ada/')).toBe('~/x');
  });
  it('leaves paths outside home as they are, including a sibling sharing the prefix', () => {
    expect(homeRelativePath('/opt/pic/config/cosign', '/home/ada')).toBe('/opt/pic/config/cosign');
    expect(homeRelativePath('/home/adam/trust', '/home/ada')).toBe('/home/adam/trust');
    expect(homeRelativePath('/home/..ada/x', '/home')).toBe('~/..ada/x');
  });
  it('leaves relative paths and an unknown home alone', () => {
    expect(homeRelativePath('config/cosign', '/home/ada')).toBe('config/cosign');
    expect(homeRelativePath('/home/ada/x', '')).toBe('/home/ada/x');
  });
});
