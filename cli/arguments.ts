import { InvalidArgumentError } from "commander";

/** A commander parser for an integer option within [min, max]; anything else is a usage error. */
export function integerIn(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    }
    return value;
  };
}
