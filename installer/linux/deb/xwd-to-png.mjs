// Converts an X window dump (XWD, ZPixmap, 24/32 bits per pixel: what
// `Xvfb -fbdir DIR` keeps in DIR/Xvfb_screen0) into a PNG, with Node alone,
// so the package test can keep a screenshot without ImageMagick or netpbm.
//   node xwd-to-png.mjs IN.xwd OUT.png
// Prints "WIDTHxHEIGHT, N colours" (N counts up to 4096) for the caller to
// tell a drawn window from an empty screen.
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath) { console.error('usage: xwd-to-png.mjs IN.xwd OUT.png'); process.exit(2); }
const b = readFileSync(inPath);
const h = (i) => b.readUInt32BE(4 * i);  // XWDFileHeader: 25 CARD32, big-endian
const [headerSize, version, format] = [h(0), h(1), h(2)];
const [width, height, byteOrder, bpp, bytesPerLine] = [h(4), h(5), h(7), h(11), h(12)];
const masks = [h(14), h(15), h(16)];
const ncolors = h(19);
if (version !== 7 || format !== 2 || (bpp !== 32 && bpp !== 24))
    throw new Error(`${inPath}: XWD version ${version}, format ${format}, ${bpp} bpp: only version 7 ZPixmap at 24/32 bpp`);
const data = headerSize + 12 * ncolors;  // the colour map (XWDColor, 12 bytes each) precedes the pixels
if (data + height * bytesPerLine > b.length) throw new Error(`${inPath}: ${b.length} bytes, too short for ${width}x${height}`);

const shift = (m) => { let s = 0; while (m && !(m & 1)) { m >>>= 1; s++; } return s; };
const shifts = masks.map(shift);
const bytes = bpp / 8;
const raw = Buffer.alloc(height * (1 + 3 * width));
const seen = new Set();
for (let y = 0; y < height; y++) {
    const row = data + y * bytesPerLine;
    const out = y * (1 + 3 * width);  // filter byte 0 (none), then RGB
    for (let x = 0; x < width; x++) {
        const o = row + x * bytes;
        let p = 0;
        for (let k = 0; k < bytes; k++) p |= b[o + (byteOrder === 0 ? k : bytes - 1 - k)] << (8 * k);
        p >>>= 0;
        for (let c = 0; c < 3; c++) raw[out + 1 + 3 * x + c] = (p & masks[c]) >>> shifts[c];
        if (seen.size < 4096) seen.add(p & (masks[0] | masks[1] | masks[2]));
    }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
const crc32 = (buf) => { let c = 0xffffffff; for (const v of buf) c = crcTable[(c ^ v) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, body) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(tb));
    return Buffer.concat([len, tb, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
ihdr[8] = 8; ihdr[9] = 2;  // 8 bits per channel, RGB; compression, filter, interlace 0
writeFileSync(outPath, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
console.log(`${width}x${height}, ${seen.size} colours`);
