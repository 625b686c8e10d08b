import type { FastifyInstance } from 'fastify';
import { crc32, deflateSync } from 'node:zlib';

/** The opencar mark: a white car silhouette on the dashboard's navy, with the header's yellow accent. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#102a43"/>
<path d="M7 19l2.5-6.5A2 2 0 0 1 11.4 11h9.2a2 2 0 0 1 1.9 1.5L25 19v4h-3v-2H10v2H7z" fill="#fff"/><circle cx="11" cy="19" r="1.6" fill="#ffd166"/><circle cx="21" cy="19" r="1.6" fill="#ffd166"/></svg>`;

const SIZE = 32;

/** Whether pixel (x, y) of the 32 px icon is inside the car body: a rounded cabin over a wide base. */
function pixel(x: number, y: number): [number, number, number] {
  const navy: [number, number, number] = [0x10, 0x2a, 0x43];
  const white: [number, number, number] = [0xff, 0xff, 0xff];
  const yellow: [number, number, number] = [0xff, 0xd1, 0x66];
  const wheel = (cx: number) => (x - cx) ** 2 + (y - 19) ** 2 <= 3;
  if (wheel(11) || wheel(21)) return yellow;
  const base = y >= 17 && y <= 21 && x >= 7 && x <= 25;
  const cabin = y >= 11 && y < 17 && x >= 9 + (17 - y) / 3 && x <= 23 - (17 - y) / 3;
  const legs = y > 21 && y <= 23 && ((x >= 7 && x <= 10) || (x >= 22 && x <= 25));
  return base || cabin || legs ? white : navy;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function png(): Buffer {
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 3));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 3);
    for (let x = 0; x < SIZE; x++) rows.set(pixel(x, y), row + 1 + x * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** An ICO file holding one 32 px PNG image (the form every browser and tool reads). */
export function faviconIco(): Buffer {
  const image = png();
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(1, 4); // one image
  header.set([SIZE, SIZE, 0, 0], 6);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(24, 12); // bits per pixel
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(22, 18);
  return Buffer.concat([header, image]);
}

/** `/favicon.ico` and `/favicon.svg`, built once, cached for a day. */
export async function faviconRoutes(app: FastifyInstance): Promise<void> {
  const ico = faviconIco();
  const cache = 'public, max-age=86400';
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.type('image/x-icon').header('cache-control', cache).send(ico));
  app.get('/favicon.svg', { schema: { hide: true } }, async (_req, reply) => reply.type('image/svg+xml').header('cache-control', cache).send(FAVICON_SVG));
}
