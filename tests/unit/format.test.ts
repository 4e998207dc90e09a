import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatNumericDate, formatShortDate } from "../../app/ui/format";

// One date format for the whole site (app/ui/format.ts): comments, moderation, reports, exports
// and "Mon vote" once showed the same moment as "14 h 05" on one page and "14:05" on another.
describe("dates in French, Paris time", () => {
  it("writes a moment the same way everywhere, in Paris time across the change of hour", () => {
    expect(formatDateTime("2026-11-23T13:05:00.000Z")).toBe("23 novembre 2026 à 14 h 05");
    expect(formatDateTime("2026-07-01T22:30:00.000Z")).toBe("2 juillet 2026 à 00 h 30");
  });

  it("reads a calendar day as that day, whatever the machine's time zone", () => {
    expect(formatDate("2022-12-08")).toBe("8 décembre 2022");
    expect(formatDate("2022-12-07T23:30:00.000Z")).toBe("8 décembre 2022");
    expect(formatShortDate("2022-12-08")).toBe("8 déc.");
    expect(formatNumericDate("2022-12-08")).toBe("08/12/2022");
  });
});
