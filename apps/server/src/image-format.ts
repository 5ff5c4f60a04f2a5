/**
 * Recognises the raster formats the service accepts by their leading bytes (magic numbers), so
 * anything else — SVG/XML, PDF, text — is refused before the decoder sees it, whatever its
 * Content-Type says. Signatures: PNG (ISO/IEC 15948), JPEG (SOI FF D8 FF), GIF87a/89a, RIFF…WEBP,
 * TIFF (II*\0 / MM\0*), AVIF (ISO-BMFF `ftyp` box with an avif/avis brand).
 */

export const RASTER_FORMATS = ['PNG', 'JPEG', 'WebP', 'GIF', 'TIFF', 'AVIF'] as const;
export type RasterFormat = (typeof RASTER_FORMATS)[number];

const ascii = (bytes: Uint8Array, at: number, text: string): boolean =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/** The format of `bytes` from its signature, or undefined when it is none of RASTER_FORMATS. */
export function sniffImageFormat(bytes: Uint8Array): RasterFormat | undefined {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'PNG';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'JPEG';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'GIF';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'WebP';
  if (ascii(b, 0, 'II*\0') || ascii(b, 0, 'MM\0*')) return 'TIFF';
  if (ascii(b, 4, 'ftyp') && (ascii(b, 8, 'avif') || ascii(b, 8, 'avis'))) return 'AVIF';
  return undefined;
}
