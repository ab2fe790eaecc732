import { describe, expect, it } from "vitest";
import { shortAgent } from "../../src/dashboard/sessions";

describe("the Sessions page's short browser name", () => {
  it.each([
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Edge 131 · Windows",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.85 Safari/537.36",
      "HeadlessChrome 131 · X11",
    ],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 · Macintosh"],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Safari 18 · iPhone",
    ],
    ["curl/8.5.0", "curl/8.5.0"],
    ["SomeVeryLongCustomClientNameThatKeepsGoing/1.0", "SomeVeryLongCustomClientNameTha…"],
    [null, "–"],
  ])("%s", (agent, expected) => {
    expect(shortAgent(agent)).toBe(expected);
  });
});
