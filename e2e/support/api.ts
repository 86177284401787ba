import { randomUUID } from 'node:crypto';
import type { PairResponse, Role } from '@chit/shared';

/** Device set-up over the real API, for tests whose subject is not pairing itself. */
export class SetupApi {
  private constructor(
    readonly baseUrl: string,
    readonly managerToken: string,
  ) {}

  static async withFirstManager(baseUrl: string, code: string): Promise<SetupApi> {
    const paired = await pair(baseUrl, code, 'Test manager');
    return new SetupApi(baseUrl, paired.token);
  }

  async pairingCode(role: Role): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/pairing-codes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.managerToken}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ role }),
    });
    if (res.status !== 201) throw new Error(`pairing code: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { code: string }).code;
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.managerToken}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return (await res.json()) as T;
  }
}

export async function pair(baseUrl: string, code: string, deviceName: string): Promise<PairResponse> {
  const res = await fetch(`${baseUrl}/api/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName }),
  });
  if (res.status !== 201) throw new Error(`pair: ${res.status} ${await res.text()}`);
  return (await res.json()) as PairResponse;
}
