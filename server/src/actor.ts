import type { Device } from '@chit/shared';

/** Who makes a write: the signed-in device and the name its user typed (empty when none). */
export interface Actor {
  device: Device;
  staffName: string;
}
