/**
 * The fields of `patch` whose values differ from `current`'s (compared as JSON), as before/after
 * pairs for the audit log. Absent (undefined) fields of the patch are no change.
 */
export function changedFields<T extends object>(current: T, patch: Partial<T>) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch) as [keyof T & string, unknown][]) {
    if (value === undefined || JSON.stringify(current[field]) === JSON.stringify(value)) continue;
    before[field] = current[field];
    after[field] = value;
  }
  return { before, after };
}
