import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The repository's own ESLint config, run on made-up files placed in client/src, proves the
 * layer rules (docs/client.md "Layout") fail on a violation. Only the import rules run, and
 * without type information (the made-up files are in no tsconfig), so each case is quick.
 */
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) =>
    ruleId.startsWith('import-x/') || ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-globals',
});

/** The problems ESLint reports for `code` as if it were the file `file` (relative to client/src). */
async function lint(file: string, code: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, 'client/src', file) });
  return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

describe('the client layer rule', { timeout: 60_000 }, () => {
  it('refuses an import that points up (db reaching into an app)', async () => {
    const problems = await lint(
      'db/fixture.ts',
      "export type { KitchenSettings } from '../apps/kitchen/settings.js';\n",
    );
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'import-x/no-restricted-paths',
        message: expect.stringContaining('db/ sits below'),
      }),
    ]);
  });

  it('refuses domain importing the database, and sync importing the screens', async () => {
    expect(await lint('domain/fixture.ts', "export type { ChitDb } from '../db/schema.js';\n")).toEqual([
      expect.objectContaining({ rule: 'import-x/no-restricted-paths' }),
    ]);
    expect(await lint('sync/fixture.ts', "export { useNow } from '../ui/time.js';\n")).toEqual([
      expect.objectContaining({ rule: 'import-x/no-restricted-paths' }),
    ]);
  });

  it('refuses one app importing another', async () => {
    const problems = await lint('apps/waiter/fixture.ts', "export { withDefaults } from '../kitchen/settings.js';\n");
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'import-x/no-restricted-paths',
        message: expect.stringContaining('another app'),
      }),
    ]);
  });

  it('refuses a screen importing the test helpers', async () => {
    expect(await lint('ui/fixture.ts', "export { harness } from '../test/harness.js';\n")).toEqual([
      expect.objectContaining({ rule: 'import-x/no-restricted-paths' }),
    ]);
  });

  it('refuses an import cycle, even inside one layer', async () => {
    // db/cache.ts imports db/meta.ts: meta importing cache back closes a circle.
    const problems = await lint('db/meta.ts', "export { saveMenuItem } from './cache.js';\n");
    expect(problems).toEqual([expect.objectContaining({ rule: 'import-x/no-cycle' })]);
  });

  it('refuses a screen querying IndexedDB or calling fetch itself', async () => {
    const query = "import { useLiveQuery } from 'dexie-react-hooks';\nexport const useAll = useLiveQuery;\n";
    expect(await lint('ui/fixture.ts', query)).toEqual([
      expect.objectContaining({ rule: 'no-restricted-imports', message: expect.stringContaining('client/src/db/') }),
    ]);
    expect(await lint('apps/manage/fixture.ts', "export const load = () => fetch('/api/menu');\n")).toEqual([
      expect.objectContaining({ rule: 'no-restricted-globals', message: expect.stringContaining('sync/api.ts') }),
    ]);
  });

  it('lets imports point down, and an app use its own files', async () => {
    const code = [
      "export { Dialog } from '../../../ui/Dialog.js';",
      "export { useMeta } from '../../../db/hooks.js';",
      "export { Api } from '../../../sync/api.js';",
      "export { priceLine } from '../../../domain/cart.js';",
      "export { CartPanel } from '../menu/CartPanel.js';",
      '',
    ].join('\n');
    expect(await lint('apps/waiter/order/fixture.ts', code)).toEqual([]);
  });
});
