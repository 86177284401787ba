/** The notes every fake AudioContext was asked to play, in order. */
export const played: number[] = [];

/**
 * Web Audio as far as the chimes use it: it remembers each oscillator's frequency. Like a
 * browser's, it starts suspended and runs once `resume()` (called in a tap) has finished;
 * `FakeAudioContext.starting` holds that back, as a slow audio device does.
 */
export class FakeAudioContext {
  /** When set, `resume()` finishes only once this promise has. */
  static starting: Promise<void> | null = null;
  state = 'suspended';
  currentTime = 0;
  destination = {};
  async resume() {
    await FakeAudioContext.starting;
    this.state = 'running';
  }
  createOscillator() {
    const osc = {
      type: 'sine',
      frequency: { value: 0 },
      connect: (next: unknown) => next,
      start: () => played.push(osc.frequency.value),
      stop: () => undefined,
    };
    return osc;
  }
  createGain() {
    const ramp = () => undefined;
    return {
      gain: { setValueAtTime: ramp, exponentialRampToValueAtTime: ramp },
      connect: (next: unknown) => next,
    };
  }
}
