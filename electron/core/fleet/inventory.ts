import { parse, stringify } from 'yaml';
import { CoreError } from '../errors';
import { DEFAULT_PIC_ROOT, groupNameProblem, RESERVED_GROUPS, type CellProfile, type CellProfileInput } from '../cell/profiles';

/**
 * Cell profiles to and from an Ansible YAML inventory (DESIGN 2.10), the file an admin with many
 * servers already keeps: host name = profile name, `ansible_host`, `ansible_port`, `ansible_user`,
 * `ansible_ssh_private_key_file`, and groups. What Ansible has no word for travels as `pic_root`
 * and `pic_ssh_config` host variables (Ansible ignores them). Importing never touches known_hosts:
 * every imported host's key is still confirmed before its first use, as for a cell added by hand.
 */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
const MAX_INVENTORY_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 16;
const MAX_HOSTS = 5000;

function bad(message: string): CoreError {
  return new CoreError('INVENTORY_INVALID', message);
}

/** user@host, ssh://user@host:port, or a bare host / alias, split the way Ansible wants it. */
function splitDestination(dest: string): { user?: string; host: string; port?: number } {
  if (dest.startsWith('ssh://')) {
    const u = new URL(dest);
    return { user: u.username ? decodeURIComponent(u.username) : undefined, host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : undefined };
  }
  const at = dest.lastIndexOf('@');
  return at > 0 ? { user: dest.slice(0, at), host: dest.slice(at + 1) } : { host: dest };
}

/** The YAML text of an inventory holding these profiles (groups sorted, one `children` entry each). */
export function exportInventory(profiles: readonly CellProfile[]): string {
  const badNames = profiles.filter((p) => !HOST_NAME.test(p.name)).map((p) => JSON.stringify(p.name));
  if (badNames.length) throw bad(`cells ${badNames.join(', ')} have names an inventory cannot hold as host names (letters, digits, ".", "-", "_"; no spaces); rename them first`);
  const hosts: Record<string, Record<string, string | number>> = {};
  const groups = new Map<string, string[]>();
  for (const p of profiles) {
    const d = splitDestination(p.destination);
    const vars: Record<string, string | number> = { ansible_host: d.host };
    const port = p.port ?? d.port;
    if (port !== undefined) vars.ansible_port = port;
    if (d.user) vars.ansible_user = d.user;
    if (p.identityFile) vars.ansible_ssh_private_key_file = p.identityFile;
    if (p.root !== DEFAULT_PIC_ROOT) vars.pic_root = p.root;
    if (p.sshConfig) vars.pic_ssh_config = p.sshConfig;
    hosts[p.name] = vars;
    for (const g of p.groups ?? []) groups.set(g, [...(groups.get(g) ?? []), p.name]);
  }
  const children = Object.fromEntries([...groups.keys()].sort().map((g) => [g, { hosts: Object.fromEntries(groups.get(g)!.map((h) => [h, null])) }]));
  const all: Record<string, unknown> = { hosts };
  if (groups.size) all.children = children;
  return stringify({ all }, { nullStr: '' });
}

interface Found {
  vars: Record<string, unknown>;
  groups: Set<string>;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Profiles (not yet stored) for every host of an inventory. A host's variables are its groups'
 * (outer first) overlaid by its own; its groups are every group it is in, directly or through
 * `children`, except Ansible's implicit `all` and `ungrouped`. Host ranges (`web[01:10]`) and
 * group names Ansible would warn about are refused, naming them.
 */
export function importInventory(text: string): CellProfileInput[] {
  if (Buffer.byteLength(text) > MAX_INVENTORY_BYTES) throw bad(`the inventory is larger than ${MAX_INVENTORY_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw bad(`the inventory is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isMap(doc)) throw bad('the inventory must be a YAML mapping of groups (usually starting with "all:")');
  const hosts = new Map<string, Found>();
  const walk = (name: string, group: unknown, inherited: Record<string, unknown>, path: string[], depth: number) => {
    if (depth > MAX_DEPTH) throw bad(`groups nest deeper than ${MAX_DEPTH} levels at ${path.join(' > ')}`);
    if (group === null || group === undefined) group = {};
    if (!isMap(group)) throw bad(`group "${name}" must be a mapping with hosts, vars or children`);
    for (const k of Object.keys(group)) if (!['hosts', 'vars', 'children'].includes(k)) throw bad(`group "${name}" has an unknown key "${k}" (expected hosts, vars, children)`);
    if (!(RESERVED_GROUPS as readonly string[]).includes(name)) {
      const p = groupNameProblem(name);
      if (p) throw bad(p);
    }
    const own = group.vars ?? {};
    if (!isMap(own)) throw bad(`the vars of group "${name}" must be a mapping`);
    const vars = { ...inherited, ...own };
    const groupsHere = path.filter((g) => !(RESERVED_GROUPS as readonly string[]).includes(g));
    const hs = group.hosts ?? {};
    if (!isMap(hs)) throw bad(`the hosts of group "${name}" must be a mapping of host names`);
    for (const [h, hv] of Object.entries(hs)) {
      if (!HOST_NAME.test(h)) throw bad(`host "${h.slice(0, 80)}" in group "${name}" is not a plain host name (ranges like web[01:10] and host:port are not supported; use ansible_port)`);
      if (hv !== null && !isMap(hv)) throw bad(`the variables of host "${h}" must be a mapping`);
      const f = hosts.get(h) ?? { vars: {}, groups: new Set<string>() };
      f.vars = { ...f.vars, ...vars, ...(hv ?? {}) };
      for (const g of groupsHere) f.groups.add(g);
      hosts.set(h, f);
      if (hosts.size > MAX_HOSTS) throw bad(`the inventory holds more than ${MAX_HOSTS} hosts`);
    }
    const ch = group.children ?? {};
    if (!isMap(ch)) throw bad(`the children of group "${name}" must be a mapping of groups`);
    for (const [c, cg] of Object.entries(ch)) walk(c, cg, vars, [...path, c], depth + 1);
  };
  for (const [g, body] of Object.entries(doc)) walk(g, body, {}, [g], 0);
  return [...hosts.entries()].map(([name, f]) => profileOf(name, f));
}

function str(v: unknown, what: string, host: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw bad(`${what} of host "${host}" must be a string`);
  return String(v);
}

/** Ansible variables that would change how a host is reached but that no profile field carries: refused, never silently dropped. */
const UNSUPPORTED_VARS: Record<string, string> = {
  ansible_ssh_host: 'use ansible_host',
  ansible_ssh_port: 'use ansible_port',
  ansible_ssh_user: 'use ansible_user',
  ansible_ssh_common_args: 'put these ssh options in an ssh config file and name it with pic_ssh_config',
  ansible_ssh_extra_args: 'put these ssh options in an ssh config file and name it with pic_ssh_config',
};

function profileOf(name: string, f: Found): CellProfileInput {
  for (const [v, instead] of Object.entries(UNSUPPORTED_VARS)) {
    if (f.vars[v] !== undefined) throw bad(`host "${name}" sets ${v}, which the app cannot honour (${instead}); it was not imported, so no cell is reached other than as the inventory says`);
  }
  const host = str(f.vars.ansible_host, 'ansible_host', name) ?? name;
  const user = str(f.vars.ansible_user, 'ansible_user', name);
  const portText = str(f.vars.ansible_port, 'ansible_port', name);
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw bad(`ansible_port of host "${name}" must be a port number (1-65535), not ${JSON.stringify(portText)}`);
  const identityFile = str(f.vars.ansible_ssh_private_key_file ?? f.vars.ansible_private_key_file, 'ansible_ssh_private_key_file', name);
  const root = str(f.vars.pic_root, 'pic_root', name);
  const sshConfig = str(f.vars.pic_ssh_config, 'pic_ssh_config', name);
  const p: CellProfileInput = { name, destination: user ? `${user}@${host}` : host, root: root ?? DEFAULT_PIC_ROOT };
  if (port !== undefined) p.port = port;
  if (identityFile) p.identityFile = identityFile;
  if (sshConfig) p.sshConfig = sshConfig;
  if (f.groups.size) p.groups = [...f.groups].sort();
  return p;
}
