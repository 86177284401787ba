/**
 * A two-tone chime made with Web Audio (no file to download or precache). Browsers only
 * let a page make sound after a tap: `unlock()` runs in the tap that turns sound on.
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

export function chime(kind: 'new' | 'alert' = 'new'): void {
  if (!context || context.state !== 'running') return;
  const tones = kind === 'new' ? [880, 1320] : [660, 440, 660, 440];
  const start = context.currentTime;
  tones.forEach((frequency, index) => {
    const osc = context!.createOscillator();
    const gain = context!.createGain();
    osc.type = kind === 'new' ? 'sine' : 'square';
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
