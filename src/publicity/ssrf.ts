// SSRF guard for webhook subscribers (issue 8): a subscriber URL may not lead the platform to its own
// network. The host is resolved and EVERY address checked, at registration and again at each delivery
// (DNS can change, "rebinding"), and the delivery connects to the very address that was checked, so a
// second lookup cannot swap it. Refused: unspecified, loopback, private (RFC 1918, ULA), carrier-grade
// NAT (Alibaba Cloud's metadata 100.100.100.200 lies there), link-local (the 169.254.169.254 metadata
// service), documentation, benchmarking, multicast and reserved ranges, and IPv4 hidden in IPv6
// (mapped, NAT64). WEBHOOK_ALLOWED_NETWORKS (CIDRs) lets test and development installations deliver to
// such an address explicitly; the default allows none.
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { AppError } from '../platform/errors.ts';

const V4_BLOCKED = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24',
  '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
];
const V6_BLOCKED = ['::/128', '::1/128', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'];

const blocked = new net.BlockList();
for (const c of V4_BLOCKED) blocked.addSubnet(c.split('/')[0]!, Number(c.split('/')[1]), 'ipv4');
for (const c of V6_BLOCKED) blocked.addSubnet(c.split('/')[0]!, Number(c.split('/')[1]), 'ipv6');

/** The 8 16-bit groups of an IPv6 address (with a dotted IPv4 tail allowed). */
function groups(ip: string): number[] {
  let s = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number);
    s = s.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === null ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g || '0', 16));
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible, NAT64 64:ff9b::/96), if any. */
function embeddedV4(ip: string): string | null {
  const g = groups(ip);
  const v4 = () => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return g[5] === 0 && g[6] === 0 ? null : v4();
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4();
  return null;
}

export class NetworkPolicy {
  private readonly allowed = new net.BlockList();
  constructor(allowedCidrs: readonly string[] = []) {
    for (const c of allowedCidrs) {
      const [addr, bits] = c.split('/');
      const family = net.isIP(addr ?? '');
      if (!family) throw new Error(`WEBHOOK_ALLOWED_NETWORKS: ${c} is not a CIDR`);
      this.allowed.addSubnet(addr!, Number(bits ?? (family === 4 ? 32 : 128)), family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** True when the platform may connect to this address. */
  permits(ip: string): boolean {
    const family = net.isIP(ip);
    if (!family) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(ip, type)) return true;
    if (family === 6) {
      const v4 = embeddedV4(ip);
      if (v4) return this.permits(v4);
    }
    return !blocked.check(ip, type);
  }
}

const policies = new Map<string, NetworkPolicy>();
/** The installation's policy (config.webhookAllowedNetworks), built once per allowlist. */
export function networkPolicy(allowed: readonly string[]): NetworkPolicy {
  const key = allowed.join(',');
  let p = policies.get(key);
  if (!p) policies.set(key, (p = new NetworkPolicy(allowed)));
  return p;
}

export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

const refuse = (detail: string) => new AppError('validation', { detail, errors: [{ field: 'url', message: detail }] });

/**
 * Resolves the URL's host and checks every address it has; answers the first, to connect to it and no
 * other. Refused with a Chinese reason when the name does not resolve or any address is not permitted.
 */
export async function checkTarget(rawUrl: string, policy: NetworkPolicy, lookup: typeof dns.lookup = dns.lookup): Promise<CheckedTarget> {
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw refuse(`无法解析订阅地址的域名：${host}`);
    }
  }
  if (!addresses.length) throw refuse(`无法解析订阅地址的域名：${host}`);
  const bad = addresses.find((a) => !policy.permits(a.address));
  if (bad) throw refuse(`订阅地址指向内网、本机、链路本地或云元数据等受限地址（${bad.address}），不允许推送`);
  return { url, address: addresses[0]!.address, family: addresses[0]!.family === 6 ? 6 : 4 };
}

/**
 * POSTs to the checked address only: the socket's lookup answers the checked address whatever the name
 * resolves to now; TLS still verifies the certificate against the host name. No redirects are followed.
 */
export function postPinned(t: CheckedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const mod = t.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const lookup = ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) =>
      opts.all ? cb(null, [{ address: t.address, family: t.family }]) : cb(null, t.address, t.family)) as unknown as net.LookupFunction;
    const req = mod.request({
      protocol: t.url.protocol, hostname: t.url.hostname.replace(/^\[|\]$/g, ''), port: t.url.port || undefined, path: `${t.url.pathname}${t.url.search}`, method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, agent: false,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`超时（${timeoutMs} ms）`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
}
