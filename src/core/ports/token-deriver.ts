/** Derives a secret from another with a server-held key: the same input always gives the same output. */
export interface TokenDeriver {
  derive(secret: string): string;
}
