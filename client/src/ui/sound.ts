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

/** Whether a chime already waits for the sound to start: one is enough. */
let waiting = false;

export function chime(kind: ChimeKind = 'new'): void {
  const ctx = context;
  if (!ctx || ctx.state === 'closed') return;
  if (ctx.state === 'running') {
    play(ctx, kind);
    return;
  }
  // A tap woke the sound moments ago and the device is still starting it (a slow audio
  // device takes a few hundred ms): play once it runs, rather than drop the chime.
  if (waiting) return;
  waiting = true;
  void ctx
    .resume()
    .then(() => play(ctx, kind))
    .catch(() => undefined)
    .finally(() => (waiting = false));
}

function play(ctx: AudioContext, kind: ChimeKind): void {
  const { tones, wave } = chimes[kind];
  const start = ctx.currentTime;
  tones.forEach((frequency, index) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = wave;
    osc.frequency.value = frequency;
    const at = start + index * 0.18;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.17);
  });
}
