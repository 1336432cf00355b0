// Parses what probeScript printed: CPU architecture, free disk, listening ports and the manifest
// of the version installed now (the cell key comes from the status report, read once). Pure, so port and disk parsing is tested
// without a cell.
import { CoreError } from '../errors';

export interface CellProbe {
  /** `uname -m`, as the kernel says it. */
  machine: string | null;
  /** Free bytes on the PIC root's file system, null when df did not answer. */
  freeBytes: number | null;
  tcpListening: Set<number>;
  udpBound: Set<number>;
  /** The installed manifest (raw JSON) of this service, if any. */
  installedManifest: unknown;
}

export function parseProbe(out: string): CellProbe {
  const sections = new Map<string, string>();
  let cur: string | null = null;
  let buf: string[] = [];
  let ended = false;
  for (const line of out.split('\n')) {
    const m = /^@@PIC (\S+)$/.exec(line);
    if (m) {
      if (cur) sections.set(cur, buf.join(''));
      if (m[1] === 'end') {
        ended = true;
        break;
      }
      cur = m[1]!;
      buf = [];
    } else if (cur) buf.push(line.trim());
  }
  if (!ended) throw new CoreError('CONNECTION_LOST', 'the pre-flight probe was cut short (the connection was lost while reading it)');
  const text = (name: string) => {
    const b = sections.get(name);
    return b ? Buffer.from(b, 'base64').toString('utf8') : null;
  };
  let installedManifest: unknown = null;
  const man = text('manifest');
  if (man) {
    try {
      installedManifest = JSON.parse(man);
    } catch {
      installedManifest = null;
    }
  }
  return {
    machine: text('arch')?.trim() || null,
    freeBytes: parseDfFree(text('disk') ?? ''),
    tcpListening: parseProcNet(text('tcp') ?? '', '0A'),
    udpBound: parseProcNet(text('udp') ?? '', null),
    installedManifest,
  };
}

/** `df -Pk` last line: filesystem, 1K-blocks, used, available, capacity, mount. */
export function parseDfFree(line: string): number | null {
  const f = line.trim().split(/\s+/);
  const avail = Number(f[3]);
  return f.length >= 6 && Number.isFinite(avail) ? avail * 1024 : null;
}

/** Local ports from /proc/net/{tcp,udp}[6]; `state` filters (0A = LISTEN), null keeps all. */
export function parseProcNet(text: string, state: string | null): Set<number> {
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[0] === 'sl') continue;
    if (state && f[3] !== state) continue;
    const port = parseInt(f[1]?.split(':')[1] ?? '', 16);
    if (port > 0 && port < 65536) ports.add(port);
  }
  return ports;
}

/** Kernel machine names → OCI architecture names. */
export function ociArchOf(machine: string): string {
  const m = machine.toLowerCase();
  if (m === 'x86_64' || m === 'amd64') return 'amd64';
  if (m === 'aarch64' || m === 'arm64') return 'arm64';
  if (m.startsWith('armv7') || m.startsWith('armv6') || m === 'arm') return 'arm';
  if (m === 'i686' || m === 'i386') return '386';
  if (m === 'ppc64le') return 'ppc64le';
  if (m === 's390x') return 's390x';
  if (m === 'riscv64') return 'riscv64';
  return m;
}
