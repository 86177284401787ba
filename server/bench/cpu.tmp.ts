import { freshDatabase, orderFactory, startServer } from './lib.js';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
function cpu(pid: number) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}
function pgPids() {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('postgres');
      } catch {
        return false;
      }
    })
    .map(Number);
}
const db = await freshDatabase();
const server = await startServer(db.url, { DB_POOL_SIZE: '20' });
const f = await orderFactory(db.pool, server.baseUrl);
const bodies = Array.from({ length: 60000 }, () => JSON.stringify(f.order()));
let k = 0;
await autocannon({
  url: server.baseUrl,
  connections: 64,
  duration: 2,
  requests: [
    {
      method: 'POST',
      path: '/api/orders',
      setupRequest: (req: any) => ({
        ...req,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${f.token}`,
          'idempotency-key': randomUUID(),
        },
        body: bodies[k++],
      }),
    },
  ],
});
const before = { srv: cpu(server.process.pid!), me: cpu(process.pid), pg: pgPids().reduce((a, p) => a + cpu(p), 0) };
const r = await autocannon({
  url: server.baseUrl,
  connections: 64,
  duration: 8,
  requests: [
    {
      method: 'POST',
      path: '/api/orders',
      setupRequest: (req: any) => ({
        ...req,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${f.token}`,
          'idempotency-key': randomUUID(),
        },
        body: bodies[k++],
      }),
    },
  ],
});
const after = { srv: cpu(server.process.pid!), me: cpu(process.pid), pg: pgPids().reduce((a, p) => a + cpu(p), 0) };
const n = r['2xx'];
console.log('orders', n, 'rate', n / 8, 'p99', r.latency.p99);
console.log(
  'cpu ms per order: server',
  ((after.srv - before.srv) / n).toFixed(3),
  'loadgen',
  ((after.me - before.me) / n).toFixed(3),
  'pg',
  ((after.pg - before.pg) / n).toFixed(3),
);
// direct
const { rows: menu } = await db.pool.query(
  `SELECT id, name, station, price_cents FROM menu_items WHERE name IN ('Margherita', 'Burger', 'Cola')`,
);
const pg0 = pgPids().reduce((a, p) => a + cpu(p), 0);
let done = 0;
const deadline = Date.now() + 5000;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (Date.now() < deadline) {
      const o = f.order();
      const c = await db.pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`INSERT INTO orders (id, table_id, note, device_id, staff_name) VALUES ($1,$2,'',$3,$4)`, [
          o.id,
          o.tableId,
          f.deviceId,
          'x',
        ]);
        const vals: unknown[] = [];
        const t = menu.map((m, i) => {
          const b = i * 9;
          vals.push(randomUUID(), o.id, o.tableId, m.id, m.name, m.station, m.price_cents, f.deviceId, 'x');
          return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},1,'[]','',10,$${b + 8},$${b + 9},$${b + 8},$${b + 9})`;
        });
        await c.query(
          `INSERT INTO order_items (id, order_id, table_id, menu_item_id, name, station, unit_price_cents, quantity, modifiers, note, cook_minutes, device_id, staff_name, updated_by_device_id, updated_by_staff_name) VALUES ${t.join(',')}`,
          vals,
        );
        await c.query('COMMIT');
        done++;
      } finally {
        c.release();
      }
    }
  }),
);
const pg1 = pgPids().reduce((a, p) => a + cpu(p), 0);
console.log('direct', done / 5, 'orders/s; pg cpu ms per order', ((pg1 - pg0) / done).toFixed(3));
// menu query alone
const ids = menu.map((m) => m.id);
const { getMenuItems } = await import('../src/menu/store.js');
const pg2 = pgPids().reduce((a, p) => a + cpu(p), 0);
for (let i = 0; i < 2000; i++) await getMenuItems(db.pool, ids);
const pg3 = pgPids().reduce((a, p) => a + cpu(p), 0);
console.log('menu query pg cpu ms', ((pg3 - pg2) / 2000).toFixed(3));
await server.stop();
await db.close();
