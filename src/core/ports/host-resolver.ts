/** Resolves a host name to every address it has now (A and AAAA). */
export interface HostResolver {
  /** Empty when the name does not resolve. */
  addresses(host: string): Promise<string[]>;
}
