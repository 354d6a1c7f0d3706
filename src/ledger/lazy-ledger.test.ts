import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isLedgerFault, lazyLedger, openLedger, openSqliteLedger, type Ledger } from "./index.js";

const tempPath = (): string => join(mkdtempSync(join(tmpdir(), "lazy-ledger-")), "ledger.sqlite");

describe("lazyLedger", () => {
  it("opens nothing until a method is called; location, close and await leave it closed", async () => {
    const path = tempPath();
    let opens = 0;
    const ledger = lazyLedger(path, async () => {
      opens++;
      return openSqliteLedger(path);
    });
    expect(ledger.location).toBe(path);
    // A Promise.resolve or an `await` on it must not mistake it for a thenable and open it.
    expect(await Promise.resolve(ledger)).toBe(ledger);
    await ledger.close();
    expect(opens).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it("opens once, on the first call (calls racing to be first included), and every call reaches the opened ledger", async () => {
    const path = tempPath();
    let opens = 0;
    const ledger: Ledger = lazyLedger(path, async () => {
      opens++;
      return openSqliteLedger(path);
    });
    const [count, purges] = await Promise.all([ledger.countPurges(), ledger.listPurges({ limit: 5 })]);
    expect(count).toBe(0);
    expect(purges).toEqual([]);
    expect((await ledger.checkChain()).intact).toBe(true);
    expect(opens).toBe(1);
    expect(existsSync(path)).toBe(true);
    await ledger.close();
  });

  it("passes on what the opener gives for a file that cannot be opened: the fault, on each call", async () => {
    const path = tempPath();
    writeFileSync(path, "not a database, only text long enough to be read as a header ".repeat(50));
    const ledger = lazyLedger(path, async () => (await openLedger(path)).ledger);
    for (let i = 0; i < 2; i++) {
      let caught: unknown;
      try {
        await ledger.countPurges();
      } catch (error) {
        caught = error;
      }
      expect(isLedgerFault(caught)).toBe(true);
      expect(String((caught as Error).message)).toContain(`The deletion ledger at ${path} is not a readable SQLite database`);
    }
    await ledger.close();
  });
});
