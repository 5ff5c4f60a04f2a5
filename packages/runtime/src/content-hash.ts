/**
 * Cache keys and integrity: a model is stored under the SHA-256 of its bytes (lower-case hex, Web
 * Crypto, which Node 20 and secure browser contexts both provide), so the same bytes under two URLs
 * are stored once, and the `expectedSha256` load option is compared with the same digest.
 */

/** SHA-256 of `bytes` as 64 lower-case hex digits. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** True for a string that can be a cache key made by sha256Hex. */
export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
