// Hand-built image files with metadata (EXIF with a camera serial and GPS text, XMP, ICC, IPTC,
// comments) for the metadata-stripping tests: just enough structure for parsers and file-type.

const seg = (marker: number, body: Buffer | string) => {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
};

/** An EXIF block (little-endian TIFF) with orientation, a camera serial and a GPS-ish string. */
export function exif(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 2 * 12 + 4 + 40);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(2, 8);
  tiff.writeUInt16LE(0x010f, 10); // Make, ASCII, pointing at the text below
  tiff.writeUInt16LE(2, 12);
  tiff.writeUInt32LE(40, 14);
  tiff.writeUInt32LE(38, 18);
  tiff.writeUInt16LE(0x0112, 22); // Orientation
  tiff.writeUInt16LE(3, 24);
  tiff.writeUInt32LE(1, 26);
  tiff.writeUInt16LE(orientation, 30);
  tiff.write('Canon SN-4711 GPS 39.6705N 106.8005E\0', 38, 'latin1');
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

export const SCAN = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9]); // entropy data (with a stuffed FF00) + EOI
/** A 1×1 JPEG skeleton carrying every kind of metadata segment, EXIF orientation `orientation`. */
export function jpeg(orientation = 6): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, 'JFIF\0\x01\x01\0\0\x01\0\x01\0\0'),
    seg(0xe1, exif(orientation)),
    seg(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>owner 王小明</x:xmpmeta>'),
    seg(0xe2, 'ICC_PROFILE\0\x01\x01profile'),
    seg(0xed, 'Photoshop 3.0\0IPTC byline'),
    seg(0xfe, 'secret comment'),
    seg(0xdb, Buffer.alloc(65, 1)), // DQT
    seg(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])), // SOF0 1×1
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])), // SOS header
    SCAN,
  ]);
}

export function pngChunk(type: string, data: string | Buffer): Buffer {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body, Buffer.alloc(4, 7)]);
}
export const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function webpChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
}

