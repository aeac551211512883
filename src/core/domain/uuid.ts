const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` has the shape of a UUID (ids are UUIDv7); anything else is no id at all. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
