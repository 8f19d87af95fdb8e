import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exifOrientation, stripImageMetadata } from './image-metadata.js';
import { exif, jpeg, PNG_SIG, pngChunk, SCAN, webpChunk } from '../../test/support/photos.js';

describe('stripImageMetadata', () => {
  it('drops EXIF, XMP, ICC, IPTC and comments from a JPEG, keeps the image data and the orientation', () => {
    const out = stripImageMetadata(jpeg(6), 'image/jpeg');
    const text = out.toString('latin1');
    for (const gone of ['SN-4711', 'GPS', 'xmpmeta', 'ICC_PROFILE', 'Photoshop', 'secret comment']) expect(text).not.toContain(gone);
    expect(text).toContain('JFIF');
    expect(out.subarray(out.length - SCAN.length)).toEqual(SCAN);
    // The only APP1 left is a minimal EXIF with the orientation.
    const app1 = out.indexOf(Buffer.from([0xff, 0xe1]));
    expect(app1).toBeGreaterThan(0);
    expect(exifOrientation(out.subarray(app1 + 4))).toBe(6);
    expect(exifOrientation(jpeg(6).subarray(jpeg(6).indexOf(Buffer.from([0xff, 0xe1])) + 4))).toBe(6);
    expect(out.length).toBeLessThan(jpeg(6).length);
  });

  it('leaves no EXIF at all when the orientation is the default', () => {
    const out = stripImageMetadata(jpeg(1), 'image/jpeg');
    expect(out.includes(Buffer.from([0xff, 0xe1]))).toBe(false);
    expect(out.toString('latin1')).not.toContain('Exif');
  });

  it('drops text, EXIF, ICC and time chunks from a PNG and keeps the image chunks in order', () => {
    const ihdr = pngChunk('IHDR', Buffer.alloc(13, 1));
    const idat = pngChunk('IDAT', 'pixels');
    const iend = pngChunk('IEND', '');
    const png = Buffer.concat([PNG_SIG, ihdr, pngChunk('tEXt', 'Author\0王小明'), pngChunk('eXIf', exif(1).subarray(6)), pngChunk('iCCP', 'icc'), pngChunk('zTXt', 'z'), pngChunk('iTXt', 'GPS'), pngChunk('tIME', '1234567'), idat, iend]);
    expect(stripImageMetadata(png, 'image/png')).toEqual(Buffer.concat([PNG_SIG, ihdr, idat, iend]));
  });

  it('drops EXIF and XMP chunks from a WebP and clears their flags', () => {
    const vp8x = Buffer.alloc(10);
    vp8x[0] = 0x08 | 0x04 | 0x10; // EXIF, XMP, alpha
    const body = Buffer.concat([webpChunk('VP8X', vp8x), webpChunk('VP8L', Buffer.from('image')), webpChunk('EXIF', exif(1)), webpChunk('XMP ', Buffer.from('<x>owner</x>'))]);
    const head = Buffer.alloc(12);
    head.write('RIFF', 0, 'latin1');
    head.writeUInt32LE(body.length + 4, 4);
    head.write('WEBP', 8, 'latin1');
    const out = stripImageMetadata(Buffer.concat([head, body]), 'image/webp');
    expect(out.toString('latin1')).not.toMatch(/EXIF|XMP|owner/);
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    expect(out[20]).toBe(0x10);
    expect(out.subarray(30, 44)).toEqual(webpChunk('VP8L', Buffer.from('image')));
  });

  it('returns other types and malformed files unchanged, and never throws', () => {
    const gif = Buffer.from('GIF89a....');
    expect(stripImageMetadata(gif, 'image/gif')).toBe(gif);
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.from([0xff, 0xe1, 0xff, 0xff, 1, 2])]);
    expect(stripImageMetadata(broken, 'image/jpeg')).toBe(broken);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('image/jpeg', 'image/png', 'image/webp'), (raw, mime) => {
      const withHeader = mime === 'image/jpeg' ? Buffer.concat([Buffer.from([0xff, 0xd8]), raw]) : mime === 'image/png' ? Buffer.concat([PNG_SIG, raw]) : Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'), raw]);
      expect(Buffer.isBuffer(stripImageMetadata(withHeader, mime))).toBe(true);
    }), { numRuns: 300 });
  });
});
