import { randomUUID } from 'node:crypto';
import type { OpenOrdersResponse, Order, OrderItem, PairResponse, Role, Table } from '@chit/shared';

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
    return new DeviceApi(this.baseUrl, this.managerToken).get<T>(path);
  }

  /** A device of `role` paired over the API (the kitchen, for tests whose subject is the waiter). */
  async device(role: Role, name: string): Promise<DeviceApi> {
    const paired = await pair(this.baseUrl, await this.pairingCode(role), name);
    return new DeviceApi(this.baseUrl, paired.token);
  }
}

export interface WriteAnswer<T = any> {
  status: number;
  body: T;
  replayed: boolean;
}

/** One paired device talking to the real API. */
export class DeviceApi {
  private tables: Table[] | undefined;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async write<T = any>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    idempotencyKey: string = randomUUID(),
  ): Promise<WriteAnswer<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as T,
      replayed: res.headers.get('idempotent-replayed') === 'true',
    };
  }

  async table(number: number): Promise<Table> {
    this.tables ??= (await this.get<{ tables: Table[] }>('/api/tables')).tables;
    const table = this.tables.find((t) => t.number === number);
    if (!table) throw new Error(`no table ${number}`);
    return table;
  }

  /** The table's items that are not voided, as the server has them. */
  async tableItems(number: number): Promise<OrderItem[]> {
    const { id } = await this.table(number);
    return (await this.get<{ items: OrderItem[] }>(`/api/tables/${id}/items`)).items;
  }

  /** What the kitchen is working on: `GET /api/orders/open`. */
  async openOrders(): Promise<Order[]> {
    return (await this.get<OpenOrdersResponse>('/api/orders/open')).orders;
  }

  async menuItemId(name: string): Promise<string> {
    const menu = await this.get<{ items: { id: string; name: string }[] }>('/api/menu');
    const item = menu.items.find((i) => i.name === name);
    if (!item) throw new Error(`no dish ${name}`);
    return item.id;
  }

  async setAvailable(dish: string, available: boolean): Promise<void> {
    const answer = await this.write('PATCH', `/api/menu/items/${await this.menuItemId(dish)}/availability`, {
      available,
    });
    if (answer.status !== 200) throw new Error(`availability: ${answer.status} ${JSON.stringify(answer.body)}`);
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
