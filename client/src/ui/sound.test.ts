import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeAudioContext, played } from '../test/fake-audio.js';

// sound.ts keeps the page's one AudioContext: each test loads it afresh, as a reload does.
const loadSound = async () => {
  vi.resetModules();
  return import('./sound.js');
};

beforeEach(() => {
  played.length = 0;
  vi.stubGlobal('AudioContext', FakeAudioContext);
});

afterEach(() => {
  FakeAudioContext.starting = null;
  vi.unstubAllGlobals();
});

describe('chimes', () => {
  it('a chime asked for while the sound a tap woke is still starting plays once it runs', async () => {
    let started!: () => void;
    FakeAudioContext.starting = new Promise((resolve) => (started = resolve));
    const { chime, unlockSound } = await loadSound();
    unlockSound();
    chime('ready');
    expect(played).toEqual([]);
    started();
    await vi.waitFor(() => expect(played).toEqual([784, 1047, 1319]));
  });

  it('plays nothing before any tap has let the page make sound', async () => {
    const { chime } = await loadSound();
    chime('ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(played).toEqual([]);
  });

  it('plays at once when the sound is already running', async () => {
    const { chime, soundReady, unlockSound } = await loadSound();
    unlockSound();
    await vi.waitFor(() => expect(soundReady()).toBe(true));
    chime('new');
    expect(played).toEqual([880, 1320]);
  });
});
