import { describe, expect, it } from "vitest";
import { periodAt } from "../../src/governance/limits/period";

describe("budget periods on UTC boundaries", () => {
  const at = Date.UTC(2026, 1, 28, 23, 59, 59, 999); // Saturday 28 Feb 2026, last millisecond

  it("daily resets at the next 00:00 UTC", () => {
    expect(periodAt("daily", at)).toEqual({ key: "daily:2026-02-28", resetsAt: Date.UTC(2026, 2, 1) });
    expect(periodAt("daily", at + 1).key).toBe("daily:2026-03-01");
  });

  it("weekly runs Monday to Monday (ISO weeks)", () => {
    expect(periodAt("weekly", at)).toEqual({ key: "weekly:2026-02-23", resetsAt: Date.UTC(2026, 2, 2) });
    const sunday = Date.UTC(2026, 2, 1, 12);
    expect(periodAt("weekly", sunday).key).toBe("weekly:2026-02-23");
    expect(periodAt("weekly", Date.UTC(2026, 2, 2)).key).toBe("weekly:2026-03-02");
  });

  it("monthly resets on the 1st, across year ends", () => {
    expect(periodAt("monthly", at)).toEqual({ key: "monthly:2026-02", resetsAt: Date.UTC(2026, 2, 1) });
    expect(periodAt("monthly", Date.UTC(2026, 11, 31, 23)).resetsAt).toBe(Date.UTC(2027, 0, 1));
  });

  it("none never resets", () => {
    expect(periodAt("none", at)).toEqual({ key: "none", resetsAt: null });
  });
});
