/** Encrypts secrets the server must read back later (authenticated encryption at rest). */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws when the sealed text was tampered with or sealed under another key. */
  open(sealed: string): string;
}
