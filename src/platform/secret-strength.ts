// What makes a secret guessable: words people type where a secret belongs, and too little
// randomness. A secret that signs tokens is only as strong as the guess it takes to find it.

// Values copied from examples and templates rather than generated.
const PLACEHOLDER_WORDS = /change.?me|changeit|placeholder|example|replace|secret|password|passw0rd|default|dummy|sample|insecure|todo|xxxx|1234/i;

/** Estimated entropy below this (in bits) is refused: about 24 random base64 characters. */
export const MIN_SECRET_ENTROPY_BITS = 128;

/** Why a secret is unsafe, as the end of a sentence naming it, or null when it looks random. */
export function secretWeakness(value: string): string | null {
  const word = PLACEHOLDER_WORDS.exec(value);
  if (word) return `looks like a placeholder (it contains "${word[0]}")`;
  if (estimatedEntropyBits(value) < MIN_SECRET_ENTROPY_BITS) {
    return `is too predictable (about ${Math.round(estimatedEntropyBits(value))} bits of entropy, ${MIN_SECRET_ENTROPY_BITS} needed)`;
  }
  return null;
}

// Shannon entropy of the characters as they occur, times the length: repeated characters and
// tiny alphabets score low; 48 random base64 bytes score about 370 bits, 32 random hex digits
// about 120, so hex secrets need 40 digits or more.
export function estimatedEntropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * value.length;
}
