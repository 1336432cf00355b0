// Icons and screenshots for the demo store's listings (DESIGN 2.1, issue 17 item 6), made here
// rather than fetched, so the offline demo store shows what a real listing can: an inline SVG
// icon and two inline PNG screenshots per service — a mock of the service's own window in its
// colour. Deterministic: the same service always gets the same bytes.
import { deflateSync } from 'node:zlib';

const HUES = { pinboard: 42, 'lumen-photos': 280, 'open-wiki': 200, 'relay-chat': 150, 'backup-box': 20, meter: 340 };

/** The listing fields for one demo service: `icon` and `screenshots`. */
export function demoAssets(service) {
  const hue = HUES[service.id] ?? 210;
  return { icon: iconSvg(service.name, hue), screenshots: [screenshot(hue, 'grid'), screenshot(hue, 'list')] };
}

function iconSvg(name, hue) {
  const letter = name.trim().charAt(0).toUpperCase();
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="hsl(${hue} 60% 42%)"/>` +
    `<circle cx="32" cy="32" r="21" fill="hsl(${hue} 70% 92%)"/>` +
    `<text x="32" y="41" font-family="sans-serif" font-size="26" font-weight="700" text-anchor="middle" fill="hsl(${hue} 60% 30%)">${letter}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** A 480×300 mock of the service's window: a title bar, a sidebar, and cards or rows. */
function screenshot(hue, layout) {
  const W = 480, H = 300;
  const px = Buffer.alloc(W * H * 3);
  const fill = (x0, y0, w, h, rgb) => {
    for (let y = y0; y < Math.min(H, y0 + h); y++) for (let x = x0; x < Math.min(W, x0 + w); x++) px.set(rgb, (y * W + x) * 3);
  };
  fill(0, 0, W, H, hsl(hue, 25, 96));
  fill(0, 0, W, 36, hsl(hue, 60, 38));
  fill(14, 12, 90, 12, hsl(hue, 70, 88));
  fill(0, 36, 110, H - 36, hsl(hue, 30, 88));
  for (let i = 0; i < 5; i++) fill(14, 54 + i * 28, 80, 12, hsl(hue, 30, i === 0 ? 55 : 72));
  if (layout === 'grid') {
    for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) {
      const x = 126 + c * 118, y = 52 + r * 122;
      fill(x, y, 106, 110, [255, 255, 255]);
      fill(x, y, 106, 56, hsl((hue + c * 25 + r * 40) % 360, 55, 70));
      fill(x + 8, y + 66, 70, 9, hsl(hue, 20, 40));
      fill(x + 8, y + 82, 88, 7, hsl(hue, 15, 75));
      fill(x + 8, y + 94, 60, 7, hsl(hue, 15, 75));
    }
  } else {
    for (let i = 0; i < 7; i++) {
      const y = 52 + i * 34;
      fill(126, y, 340, 28, i % 2 ? [255, 255, 255] : hsl(hue, 25, 93));
      fill(134, y + 8, 12, 12, hsl(hue, 60, 50));
      fill(156, y + 9, 150 + ((i * 37) % 90), 10, hsl(hue, 15, 45));
      fill(420, y + 9, 36, 10, hsl((hue + 120) % 360, 50, 55));
    }
  }
  return `data:image/png;base64,${png(W, H, px).toString('base64')}`;
}

function hsl(h, s, l) {
  s /= 100;
  l /= 100;
  const k = (n) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return [f(0), f(8), f(4)];
}

/** A minimal PNG encoder: 8-bit RGB, no filtering, one IDAT chunk. */
function png(width, height, rgb) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
