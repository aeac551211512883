import { expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config";

test("AUDIT_RETENTION_DAYS unset or empty keeps audit events forever", () => {
  expect(loadConfig({}).audit.retentionDays).toBeNull();
  expect(loadConfig({ AUDIT_RETENTION_DAYS: "" }).audit.retentionDays).toBeNull();
});

test("AUDIT_RETENTION_DAYS is a whole number of days from 1", () => {
  expect(loadConfig({ AUDIT_RETENTION_DAYS: "365" }).audit.retentionDays).toBe(365);
  for (const bad of ["0", "-1", "1.5", "forever"]) {
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad })).toThrow(/AUDIT_RETENTION_DAYS/);
  }
});
