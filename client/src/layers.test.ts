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

/** The one problem a refused file gets: `rule`, its message saying `says` when given. */
function refusedBy(rule: string, says?: string) {
  return [expect.objectContaining({ rule, ...(says === undefined ? {} : { message: expect.stringContaining(says) }) })];
}

describe('the client layer rule', { timeout: 60_000 }, () => {
  const layerCases: { what: string; file: string; code: string; says?: string }[] = [
    {
      what: 'an import that points up (db reaching into an app)',
      file: 'db/fixture.ts',
      code: "export type { KitchenSettings } from '../apps/kitchen/settings.js';\n",
      says: 'db/ sits below',
    },
    {
      what: 'domain importing the database',
      file: 'domain/fixture.ts',
      code: "export type { ChitDb } from '../db/schema.js';\n",
    },
    { what: 'sync importing the screens', file: 'sync/fixture.ts', code: "export { useNow } from '../ui/time.js';\n" },
    {
      what: 'one app importing another',
      file: 'apps/waiter/fixture.ts',
      code: "export { withDefaults } from '../kitchen/settings.js';\n",
      says: 'another app',
    },
    {
      what: 'a screen importing the test helpers',
      file: 'ui/fixture.ts',
      code: "export { harness } from '../test/harness.js';\n",
    },
  ];
  for (const { what, file, code, says } of layerCases) {
    it(`refuses ${what}`, async () => {
      expect(await lint(file, code)).toEqual(refusedBy('import-x/no-restricted-paths', says));
    });
  }

  it('refuses an import cycle, even inside one layer', async () => {
    // db/cache.ts imports db/meta.ts: meta importing cache back closes a circle.
    const problems = await lint('db/meta.ts', "export { saveMenuItem } from './cache.js';\n");
    expect(problems).toEqual(refusedBy('import-x/no-cycle'));
  });

  it('refuses a screen querying IndexedDB or calling fetch itself', async () => {
    const query = "import { useLiveQuery } from 'dexie-react-hooks';\nexport const useAll = useLiveQuery;\n";
    expect(await lint('ui/fixture.ts', query)).toEqual(refusedBy('no-restricted-imports', 'client/src/db/'));
    expect(await lint('apps/manage/fixture.ts', "export const load = () => fetch('/api/menu');\n")).toEqual(
      refusedBy('no-restricted-globals', 'sync/api.ts'),
    );
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
