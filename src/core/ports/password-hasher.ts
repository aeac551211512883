export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** True when `hash` was made with other parameters than new hashes get (e.g. an older cost). */
  needsRehash(hash: string): boolean;
}
