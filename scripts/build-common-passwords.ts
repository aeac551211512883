/**
 * Writes src/core/domain/common-passwords.txt: the breached passwords the password policy refuses.
 * Source: the "passwords-common" dictionary of the npm package @zxcvbn-ts/language-common (MIT),
 * derived from public breach corpora. Only entries of at least 12 code points are kept, because
 * shorter ones are refused by length anyway. The output is committed, so the app has no runtime
 * dependency on the package. Run: `bun scripts/build-common-passwords.ts`.
 */
import { dictionary } from "@zxcvbn-ts/language-common";

// PASSWORD_MIN_LENGTH, repeated: importing the policy would need the file this script creates.
const MIN_LENGTH = 12;

const target = new URL("../src/core/domain/common-passwords.txt", import.meta.url);
const entries = new Set(
  dictionary["passwords-common"]
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => [...entry].length >= MIN_LENGTH),
);
const sorted = [...entries].sort();
await Bun.write(target, `${sorted.join("\n")}\n`);
console.log(`wrote ${sorted.length} common password(s) to ${target.pathname}`);
