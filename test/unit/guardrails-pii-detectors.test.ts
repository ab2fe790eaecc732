import { describe, expect, it } from "vitest";
import { detectCreditCards, luhnValid } from "../../guardrails/pii/card";
import { detectCredentials } from "../../guardrails/pii/credential";
import { detectPii } from "../../guardrails/pii/detect";
import { detectEmails } from "../../guardrails/pii/email";
import { detectIbans, ibanChecksumValid } from "../../guardrails/pii/iban";
import { detectIpAddresses } from "../../guardrails/pii/ip";
import { detectPhoneNumbers } from "../../guardrails/pii/phone";
import { detectSsns } from "../../guardrails/pii/ssn";
import type { PiiDetector } from "../../guardrails/pii/types";

/** The matched substrings, so each expectation reads as the value it is about. */
const matches = (detector: PiiDetector, text: string): string[] =>
  detector(text).map((f) => text.slice(f.start, f.end));

describe("email detector", () => {
  it.each([
    ["write to jane.doe+x@example.co.uk.", "jane.doe+x@example.co.uk"],
    ["<ops_team@mail.example.org>", "ops_team@mail.example.org"],
    ["a@b.io and c@d.dev", "a@b.io"],
  ])("finds %j", (text, first) => expect(matches(detectEmails, text)[0]).toBe(first));

  it.each([
    "icon@2x.png",
    "lodash@4.17.21",
    "@scope/pkg",
    "user@localhost",
    "a@b",
    "jane at example dot com",
    "x..y@example.com",
  ])("leaves %j alone", (text) => expect(matches(detectEmails, text)).toEqual([]));
});

describe("credit card detector", () => {
  it("checks Luhn", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
  });

  it.each([
    ["card 4111111111111111 exp", "4111111111111111"],
    ["card 4111 1111 1111 1111.", "4111 1111 1111 1111"],
    ["amex 3782-822463-10005", "3782-822463-10005"],
    ["mc 5555-5555-5555-4444 ok", "5555-5555-5555-4444"],
  ])("finds %j", (text, card) => expect(matches(detectCreditCards, text)).toEqual([card]));

  it.each([
    "order 4111111111111112", // Luhn-invalid
    "order 1234567812345670", // Luhn-valid, no issuer starts with 1
    "id 41111111111111110000", // too long
    "x4111111111111111", // glued to a word
    "4111 1111-1111 1111", // mixed separators
    "20240115103045",
  ])("leaves %j alone", (text) => expect(matches(detectCreditCards, text)).toEqual([]));
});

describe("phone detector", () => {
  it.each([
    ["call +1 (415) 555-2671 now", "+1 (415) 555-2671"],
    ["+44 20 7946 0958", "+44 20 7946 0958"],
    ["(415) 555-2671", "(415) 555-2671"],
    ["415.555.2671", "415.555.2671"],
    ["1-800-555-0199", "1-800-555-0199"],
    ["020 7946 0958", "020 7946 0958"],
    ["01 23 45 67 89", "01 23 45 67 89"],
    ["+491701234567", "+491701234567"],
  ])("finds %j", (text, phone) => expect(matches(detectPhoneNumbers, text)).toEqual([phone]));

  it.each([
    "2024-01-15",
    "01/15/2024 10:30",
    "version 1.2.3",
    "ticket 4155552671",
    "123-456-78901",
    "ISBN 978-3-16-148410-0",
    "zip 94103-1234",
    "115-555-2671",
  ])("leaves %j alone", (text) => expect(matches(detectPhoneNumbers, text)).toEqual([]));
});

describe("IBAN detector", () => {
  it("checks mod 97", () => {
    expect(ibanChecksumValid("DE89370400440532013000")).toBe(true);
    expect(ibanChecksumValid("DE88370400440532013000")).toBe(false);
  });

  it.each([
    ["IBAN DE89370400440532013000.", "DE89370400440532013000"],
    ["to GB82 WEST 1234 5698 7654 32 today", "GB82 WEST 1234 5698 7654 32"],
  ])("finds %j", (text, iban) => expect(matches(detectIbans, text)).toEqual([iban]));

  it.each(["DE88370400440532013000", "DE8937040044053201300", "XX89370400440532013000", "part DE1234"])(
    "leaves %j alone",
    (text) => expect(matches(detectIbans, text)).toEqual([]),
  );
});

describe("SSN detector", () => {
  it.each([
    ["SSN 219-09-9999", "219-09-9999"],
    ["ssn 321 54 9876.", "321 54 9876"],
    ["SSN: 219099999", "219099999"],
  ])("finds %j", (text, ssn) => expect(matches(detectSsns, text)).toEqual([ssn]));

  it.each([
    "000-12-3456",
    "666-12-3456",
    "900-12-3456",
    "123-00-4567",
    "123-45-0000",
    "order 219099999",
    "123-45 6789",
    "1-123-45-6789",
  ])("leaves %j alone", (text) => expect(matches(detectSsns, text)).toEqual([]));
});

describe("IP address detector", () => {
  it.each([
    ["host 192.168.1.1.", "192.168.1.1"],
    ["at 10.0.0.1:8080", "10.0.0.1"],
    ["v6 2001:db8::1 here", "2001:db8::1"],
    ["[fe80::1ff:fe23:4567:890a]:443", "fe80::1ff:fe23:4567:890a"],
    ["::1", "::1"],
    ["::ffff:192.0.2.128", "::ffff:192.0.2.128"],
  ])("finds %j", (text, ip) => expect(matches(detectIpAddresses, text)).toEqual([ip]));

  it.each([
    "256.1.1.1",
    "10.0.0.01",
    "1.2.3",
    "1.2.3.4.5",
    "v1.2.3.4",
    "std::vector",
    "a::b",
    "10:30:45",
    "00:1A:2B:3C:4D:5E",
  ])("leaves %j alone", (text) => expect(matches(detectIpAddresses, text)).toEqual([]));
});

describe("credential detector", () => {
  const jwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  it.each([
    "sk-EXAMPLEexample0123456789EXAMPLE",
    "sk-proj-EXAMPLE_example-0123456789abcd",
    "sk-ant-api03-EXAMPLEexample0123456789_x",
    "AIza" + "SyEXAMPLEexample0123456789EXAMPLE012".slice(0, 35),
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAEXAMPLE012345678",
    "ghp_" + "EXAMPLEexample0123456789EXAMPLEexampl".slice(0, 36),
    "github_pat_11EXAMPLE0example_0123456789",
    jwt,
    "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
  ])("finds %s", (key) => expect(matches(detectCredentials, `key=${key} end`)).toEqual([key]));

  it("drops a sentence's final dot after a key", () => {
    expect(matches(detectCredentials, "use AKIAIOSFODNN7EXAMPLE.")).toEqual(["AKIAIOSFODNN7EXAMPLE"]);
  });

  it.each([
    "sk-this-is-not-a-real-key-at-all",
    "AKIAIOSFODNN7EXAMPL",
    "ghp_short",
    "eyJmb28iOiJiYXIifQ.eyJ4IjoxfQ.c2ln",
    "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
  ])("leaves %j alone", (text) => expect(matches(detectCredentials, text)).toEqual([]));
});

describe("all detectors together", () => {
  it("keeps the most specific of overlapping findings, in text order", () => {
    const text = "mail ops@example.org, card 4111 1111 1111 1111, iban DE89 3704 0044 0532 0130 00";
    expect(detectPii(text).map((f) => f.category)).toEqual(["EMAIL_ADDRESS", "CREDIT_CARD", "IBAN"]);
  });

  it("limits itself to the categories asked for", () => {
    expect(detectPii("ops@example.org 192.168.1.1", ["IP_ADDRESS"]).map((f) => f.category)).toEqual(["IP_ADDRESS"]);
  });

  // Complexity, not speed: these shapes make backtracking matchers quadratic or worse. At 100 KB a quadratic scan
  // would take minutes; a linear one takes milliseconds, so the generous bound cannot flake.
  it.each([
    ["near-miss digits", "4".repeat(100_000)],
    ["digit groups", "1 ".repeat(50_000)],
    ["at signs", "a@".repeat(50_000)],
    ["local parts without domain", "a.".repeat(50_000) + "@"],
    ["key prefixes", "sk-".repeat(33_000)],
    ["dotted runs", "1.".repeat(50_000)],
    ["colons", "a:".repeat(50_000)],
    ["IBAN starts", "DE89 ".repeat(20_000)],
  ])("stays linear on %s", (_name, text) => {
    const started = performance.now();
    detectPii(text);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
