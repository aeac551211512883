/** Produces time-ordered unique ids (UUIDv7). */
export interface IdGenerator {
  next(): string;
}
