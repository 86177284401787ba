import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics, type Metrics } from '../src/metrics/metrics.js';
import { startTestApp, type TestApp } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules: Rule[] = (
  parse(readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((group) => group.rules);

let app: TestApp;
let metrics: Metrics;

beforeAll(async () => {
  metrics = createMetrics();
  app = await startTestApp({ metrics });
});

afterAll(async () => {
  await app.close();
});

/** Metric families the app exports, with their types, from the exposition text. */
async function exported(): Promise<Map<string, string>> {
  const families = new Map<string, string>();
  for (const match of (await metrics.scrape()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1]!, match[2]!);
  return families;
}

describe('the alert rules (deploy/prometheus/alerts.yml)', () => {
  it('cover stuck device writes, event lag, 5xx, an unwritable database and replication lag', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'ChitDeviceWritesStuck',
        'ChitEventLagHigh',
        'ChitServerErrors',
        'ChitDatabaseNotWritable',
        'ChitReplicationLag',
      ]),
    );
  });

  it('only use metrics the app exports', async () => {
    const families = await exported();
    for (const rule of rules) {
      for (const [name] of rule.expr!.matchAll(/\bchit_[a-z_]+\b/g)) {
        const family = name.replace(/_(bucket|count|sum)$/, '');
        const known = families.has(name) || families.get(family) === 'histogram';
        expect(known, `${rule.alert} uses ${name}, which the app does not export`).toBe(true);
      }
    }
  });

  it('each have a duration, a severity, a summary, and a section in docs/operations.md', () => {
    const docs = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
    for (const rule of rules) {
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(docs, `docs/operations.md has no "### ${rule.alert}"`).toContain(`### ${rule.alert}\n`);
      expect(rule.annotations?.runbook).toBe(`docs/operations.md#${rule.alert!.toLowerCase()}`);
    }
  });
});
