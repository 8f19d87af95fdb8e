/**
 * Removes metadata that can identify a person or place from photos before the public sees them:
 * EXIF (GPS position, camera serial, owner name, time), XMP, IPTC, ICC profiles and comments.
 * Pixels are untouched (no re-encoding). The EXIF orientation is kept (as a minimal EXIF block)
 * so photos still display upright. Formats other than JPEG, PNG and WebP come back unchanged.
 */
export function stripImageMetadata(bytes: Buffer, mime: string): Buffer {
  if (mime === 'image/jpeg') return stripJpeg(bytes);
  if (mime === 'image/png') return stripPng(bytes);
  if (mime === 'image/webp') return stripWebp(bytes);
  return bytes;
}

/** Whether stripImageMetadata cleans this type. */
export function canStripMetadata(mime: string): boolean {
  return mime === 'image/jpeg' || mime === 'image/png' || mime === 'image/webp';
}

// JPEG: FFD8, then segments FFxx + 2-byte length until SOS (FFDA), after which comes entropy-coded
// data. APP1…APP15 (FFE1–FFEF: EXIF, XMP, ICC, IPTC/Photoshop, …) and COM (FFFE) are dropped.
function stripJpeg(bytes: Buffer): Buffer {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return bytes;
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let orientation: number | null = null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return bytes; // not a marker where one must be: leave the file alone
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) {
      kept.push(bytes.subarray(at));
      break;
    }
    const standalone = marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
    const length = standalone ? 0 : bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (end > bytes.length) return bytes;
    const segment = bytes.subarray(at, end);
    if (marker === 0xe1 && orientation === null) orientation = exifOrientation(segment.subarray(4));
    if (!((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe)) kept.push(segment);
    at = end;
  }
  if (orientation !== null && orientation !== 1) kept.splice(1, 0, orientationSegment(orientation));
  return Buffer.concat(kept);
}

/** The orientation (tag 0x0112 of IFD0) in an EXIF block starting "Exif\0\0", or null. */
export function exifOrientation(exif: Buffer): number | null {
  if (exif.length < 14 || exif.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
  const tiff = exif.subarray(6);
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  if (!little && tiff.toString('latin1', 0, 2) !== 'MM') return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** An APP1 segment holding only an orientation tag (big-endian TIFF, one IFD0 entry). */
function orientationSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // count
  tiff.writeUInt16BE(orientation, 18); // value, left-justified in the 4-byte field
  tiff.writeUInt32BE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

// PNG: 8-byte signature, then chunks (length, type, data, CRC). Text, EXIF, ICC and time chunks go.
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'iCCP', 'tIME']);
function stripPng(bytes: Buffer): Buffer {
  if (bytes.length < 8 || bytes.toString('latin1', 1, 4) !== 'PNG') return bytes;
  const kept: Buffer[] = [bytes.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > bytes.length) return bytes;
    if (!PNG_DROPPED.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(kept);
}

// WebP: RIFF container; EXIF and "XMP " chunks go, and the VP8X header stops announcing them.
function stripWebp(bytes: Buffer): Buffer {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return bytes;
  const kept: Buffer[] = [];
  let at = 12;
  while (at + 8 <= bytes.length) {
    const type = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const end = Math.min(bytes.length, at + 8 + size + (size % 2));
    if (at + 8 + size > bytes.length) return bytes;
    if (type === 'VP8X') {
      const chunk = Buffer.from(bytes.subarray(at, end));
      chunk[8] &= ~(0x08 | 0x04 | 0x20); // EXIF, XMP and ICC flags
      kept.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ' && type !== 'ICCP') kept.push(bytes.subarray(at, end));
    at = end;
  }
  const body = Buffer.concat(kept);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}
