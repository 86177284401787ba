import { describe, expect, it } from 'vitest';
import { appVersionStatus } from './app-version.js';

describe("a device's app version against the server's build", () => {
  const current = '0.2.0+20261130T190337Z.c7d3d31';

  it('is current when it is the same build', () => {
    expect(appVersionStatus(current, current)).toBe('current');
  });

  it('is older for an earlier release or an earlier build of the same release', () => {
    expect(appVersionStatus('0.1.9+20261201T000000Z.aaaaaaa', current)).toBe('older');
    expect(appVersionStatus('0.2.0+20261129T235959Z.bbbbbbb', current)).toBe('older');
    expect(appVersionStatus('0.2.0', current)).toBe('older');
  });

  it('is newer when another instance already serves a later build', () => {
    expect(appVersionStatus('0.2.0+20261201T000000Z', current)).toBe('newer');
    expect(appVersionStatus('1.0.0+20200101T000000Z', current)).toBe('newer');
  });

  it('is only different when one of them is not a build string', () => {
    expect(appVersionStatus('test-build', current)).toBe('different');
    expect(appVersionStatus('0.2.0+20261130T190337Z.ddddddd', current)).toBe('different');
  });

  it('is unknown when the device never said or the server serves no build', () => {
    expect(appVersionStatus(null, current)).toBe('unknown');
    expect(appVersionStatus(current, null)).toBe('unknown');
  });
});
