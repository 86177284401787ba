/**
 * Short chimes made with Web Audio (no file to download or precache), for the kitchen board
 * and the waiter's ready notice. Browsers only let a page make sound after a tap:
 * `unlockSound()` runs in the tap that turns sound on (and, after a reload, in the next tap).
 */
let context: AudioContext | null = null;

export function unlockSound(): boolean {
  const Ctor =
    globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return false;
  context ??= new Ctor();
  void context.resume().catch(() => undefined);
  return true;
}

export function soundReady(): boolean {
  return context !== null && context.state === 'running';
}

/** The kitchen's rising two-tone for a new ticket and harsh alternation for an alert; the waiter's ready. */
const chimes = {
  new: { tones: [880, 1320], wave: 'sine' },
  alert: { tones: [660, 440, 660, 440], wave: 'square' },
  /** Food ready for the waiter (a phone in a pocket, a tablet on the bar): three rising notes. */
  ready: { tones: [784, 1047, 1319], wave: 'sine' },
} as const satisfies Record<string, { tones: readonly number[]; wave: OscillatorType }>;

export type ChimeKind = keyof typeof chimes;

export function chime(kind: ChimeKind = 'new'): void {
  if (!context || context.state !== 'running') return;
  const { tones, wave } = chimes[kind];
  const start = context.currentTime;
  tones.forEach((frequency, index) => {
    const osc = context!.createOscillator();
    const gain = context!.createGain();
    osc.type = wave;
    osc.frequency.value = frequency;
    const at = start + index * 0.18;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
    osc.connect(gain).connect(context!.destination);
    osc.start(at);
    osc.stop(at + 0.17);
  });
}
