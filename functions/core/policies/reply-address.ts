/**
 * Reply addresses: `reply+<token>@<reply domain>`, one per recipient and link, so a plain
 * reply says by its address alone whose it is and which partnership it is about.
 *
 * The token is a magic-link token (32 random bytes; only its keyed hash is stored), written
 * in lower-case base32 rather than the base64url of a URL: mail systems may change the case
 * of an address's local part, and base32 of 32 bytes (52 characters) keeps the local part
 * within its 64-character limit, where hex would not.
 */
const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const prefix = 'reply+';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const digit = alphabet.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(bytes);
}

/** The reply address for a token (base64url, as the token store issues it). */
export function replyAddress(token: string, replyDomain: string): string {
  return `${prefix}${base32(Buffer.from(token, 'base64url'))}@${replyDomain.toLowerCase()}`;
}

/**
 * The token in a reply address on our reply domain, or undefined for any other address (a
 * stranger's guess, a typo, another domain). Case does not matter; `<…>` and a display
 * name around the address are not expected here: pass the bare address.
 */
export function replyTokenOf(address: string, replyDomain: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  if (domain !== replyDomain.toLowerCase() || !local.startsWith(prefix)) return undefined;
  const encoded = local.slice(prefix.length);
  // 32 bytes are 52 base32 characters: anything else is no address of ours.
  if (encoded.length !== 52) return undefined;
  const bytes = fromBase32(encoded);
  if (!bytes || bytes.length !== 32) return undefined;
  const token = Buffer.from(bytes).toString('base64url');
  // The last character carries 2 spare bits: an address that sets them is not one we wrote.
  return replyAddress(token, replyDomain) === `${local}@${domain}` ? token : undefined;
}
