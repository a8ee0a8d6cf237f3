#!/usr/bin/env node
// 案卷归档包离线核验 / Offline verifier of a case archive package (R-R07, R-R05).
//
// Needs only Node.js ≥ 20, no network, no dependency: copied as verify.mjs into every package.
//   node verify.mjs <案卷包.tar 或 解压后的目录> [--key <日志验证公钥>]
// It checks that
//   1. every file's SHA-256 and size match manifest.json, and no file is missing or extra;
//   2. every event's commitment is SHA-256(salt ‖ canonical JSON (RFC 8785) of its data);
//   3. every ledger entry names that commitment and belongs to this case: its subject, blinded with
//      the event's salt (HMAC-SHA-256, docs/LEDGER.md §1.1), is recomputed from the event's kind and
//      the case id, its domain and day match the event; and its RFC 6962 inclusion proof leads to the
//      root of the checkpoint;
//   4. the checkpoint (C2SP signed note) carries a valid Ed25519 signature of the log key;
//   5. every document PDF and evidence file is named, by its hash, in a committed event.
// Pass the log's key with --key (from a source you trust: the platform's /ledger/key, a witness, a
// letter); without it the key inside the package is used and the result says so.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// accountability.*: the R-L09 account, a report read off the events in the manifest (issue 9), not evidence.
const META = new Set(['manifest.json', 'verify.mjs', 'VERIFY.txt', 'checkpoint.txt', 'accountability.json', 'accountability.pdf']);

const sha256 = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 8785 (JCS) for the JSON our events hold: sorted keys (UTF-16 order), ECMAScript number and string forms. */
export function canonicalJson(v) {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('JSON 中不能有非有限数');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`;
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
}

// ---- what a ledger entry binds (src/ledger/entry.ts) ----

const SUBJECT_LABEL = 'sanxiang/ledger/subject/2';

/** Subject of a version-2 entry: hex HMAC-SHA-256(salt, canonical JSON [label, kind, subjectType, subjectId]). */
export function blindedSubject(salt, kind, subjectType, subjectId) {
  return crypto.createHmac('sha256', salt).update(canonicalJson([SUBJECT_LABEL, kind, subjectType, subjectId]), 'utf8').digest('hex');
}

/** Subject of a version-1 entry (written before the blinding): the same for every entry of the case. */
const plainSubject = (subjectType, subjectId) => sha256(Buffer.from(`${subjectType}:${subjectId}`, 'utf8')).toString('hex').slice(0, 32);

/** The day of an instant in China Standard Time (UTC+8), as version-2 entries name it. */
export function entryDay(iso) {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whether a decoded ledger entry is the entry of this event of this case. */
function entryBindsEvent(decoded, ev, salt, caseId) {
  if (decoded.v === 2) {
    return decoded.domain === ev.kind.split('.')[0] && decoded.day === entryDay(ev.time) && decoded.subject === blindedSubject(salt, ev.kind, 'case', caseId);
  }
  return decoded.v === undefined && decoded.kind === ev.kind && decoded.subject === plainSubject('case', caseId);
}

// ---- reading the package: a ustar file or a directory ----

/** The entries of a ustar file; their `read` stays usable until the caller closes `fd`. */
function* tarEntries(fd) {
  {
    const header = Buffer.alloc(512);
    let pos = 0;
    for (;;) {
      if (fs.readSync(fd, header, 0, 512, pos) < 512) throw new Error('tar 文件不完整');
      if (header.every((b) => b === 0)) return;
      const sum = header.reduce((s, b, i) => s + (i >= 148 && i < 156 ? 32 : b), 0);
      if (sum !== parseInt(header.toString('ascii', 148, 156).replace(/\0.*$/s, '').trim(), 8)) throw new Error('tar 头校验和错误');
      const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const prefix = header.toString('utf8', 345, 500).replace(/\0.*$/s, '');
      const size = parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
      const type = String.fromCharCode(header[156] || 48);
      const start = pos + 512;
      if (type === '0' || type === '\0') yield { name: prefix ? `${prefix}/${name}` : name, size, read: (fn) => readRange(fd, start, size, fn) };
      pos = start + Math.ceil(size / 512) * 512;
    }
  }
}

function readRange(fd, start, size, fn) {
  const buf = Buffer.alloc(Math.min(size, 1 << 20));
  let done = 0;
  while (done < size) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - done), start + done);
    if (n <= 0) throw new Error('文件提前结束');
    fn(buf.subarray(0, n));
    done += n;
  }
}

function* dirEntries(dir) {
  const walk = function* (rel) {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) yield* walk(r);
      else if (e.isFile()) {
        const full = path.join(dir, r);
        const size = fs.statSync(full).size;
        yield {
          name: r,
          size,
          read: (fn) => {
            const fd = fs.openSync(full, 'r');
            try {
              readRange(fd, 0, size, fn);
            } finally {
              fs.closeSync(fd);
            }
          },
        };
      }
    }
  };
  yield* walk('');
}

// ---- RFC 6962 / 9162 inclusion ----

const leafHash = (entry) => sha256(Buffer.from([0]), entry);
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);

export function rootFromInclusionProof(index, size, leaf, proof) {
  if (!(index >= 0 && index < size)) throw new Error('序号不在树内');
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new Error('包含证明过长');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else r = nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('包含证明过短');
  return r;
}

// ---- C2SP signed note, Ed25519 ----

function parseKey(vkey) {
  const s = vkey.trim();
  const a = s.indexOf('+');
  const b = s.indexOf('+', a + 1);
  if (a < 0 || b < 0) throw new Error('验证公钥格式应为 <名称>+<8位十六进制>+<base64>');
  const name = s.slice(0, a);
  const id = parseInt(s.slice(a + 1, b), 16);
  const material = Buffer.from(s.slice(b + 1), 'base64');
  if (material[0] !== 1 || material.length !== 33) throw new Error('不是 Ed25519 验证公钥');
  if (sha256(Buffer.from(name, 'utf8'), Buffer.from([0x0a]), material).readUInt32BE(0) !== id) throw new Error('验证公钥的密钥编号与公钥不符');
  const key = crypto.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), material.subarray(1)]), format: 'der', type: 'spki' });
  return { name, id, key };
}

export function verifyCheckpoint(note, vkey) {
  const k = parseKey(vkey);
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('检查点不是签名笔记格式');
  const text = note.slice(0, split + 1);
  let ok = false;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== k.name) continue;
    const raw = Buffer.from(m[2], 'base64');
    if (raw.length !== 68 || raw.readUInt32BE(0) !== k.id) continue;
    if (!crypto.verify(null, Buffer.from(text, 'utf8'), k.key, raw.subarray(4))) throw new Error(`密钥 ${k.name} 的签名验证失败`);
    ok = true;
  }
  if (!ok) throw new Error('检查点上没有该验证公钥的签名');
  const lines = text.slice(0, -1).split('\n');
  return { origin: lines[0], size: Number(lines[1]), root: Buffer.from(lines[2], 'base64') };
}

// ---- the whole package ----

export function verifyPackage(source, opts = {}) {
  if (fs.statSync(source).isDirectory()) return verifyEntries([...dirEntries(source)], opts);
  const fd = fs.openSync(source, 'r');
  try {
    return verifyEntries([...tarEntries(fd)], opts);
  } finally {
    fs.closeSync(fd);
  }
}

function verifyEntries(entries, opts) {
  const problems = [];
  const manifestEntry = entries.find((e) => e.name === 'manifest.json');
  if (!manifestEntry) return { ok: false, problems: ['缺少 manifest.json'], checked: {} };
  const chunks = [];
  manifestEntry.read((b) => chunks.push(Buffer.from(b)));
  const manifest = JSON.parse(Buffer.concat(chunks).toString('utf8'));

  // 1. Files.
  // Electronic formats (documents' fields and schemas) are checked by hash like the files.
  const listed = new Map([...manifest.files, ...(manifest.formats ?? [])].map((f) => [f.path, f]));
  for (const e of entries) {
    if (META.has(e.name)) continue;
    const f = listed.get(e.name);
    if (!f) { problems.push(`清单中没有的文件：${e.name}`); continue; }
    const h = crypto.createHash('sha256');
    e.read((b) => h.update(b));
    const hex = h.digest('hex');
    if (hex !== f.sha256) problems.push(`文件内容与清单不符：${e.name}（清单 ${f.sha256}，实际 ${hex}）`);
    if (e.size !== f.size) problems.push(`文件大小与清单不符：${e.name}`);
    listed.delete(e.name);
  }
  for (const p of listed.keys()) problems.push(`缺少文件：${p}`);

  // 4. Checkpoint.
  let cp = null;
  const key = opts.key ?? manifest.log?.verifierKey;
  try {
    cp = verifyCheckpoint(manifest.checkpoint.note, key);
  } catch (err) {
    problems.push(`检查点签名无效：${err.message}`);
  }
  if (cp && cp.size !== manifest.checkpoint.size) problems.push('检查点大小与清单不符');

  // 2, 3. Events.
  const committed = { pdf: new Set(), blob: new Set(), text: new Set() };
  for (const ev of manifest.events) {
    const salt = Buffer.from(ev.salt, 'base64');
    const c = sha256(salt, Buffer.from(canonicalJson(ev.data), 'utf8')).toString('hex');
    if (c !== ev.commitment) { problems.push(`事件 ${ev.id}（${ev.kind}）的承诺值与内容不符`); continue; }
    const entry = Buffer.from(ev.ledger.entry, 'base64');
    let decoded;
    try { decoded = JSON.parse(entry.toString('utf8')); } catch { decoded = null; }
    if (!decoded || decoded.commitment !== ev.commitment || decoded.event !== ev.id) { problems.push(`事件 ${ev.id} 的账本条目与事件不符`); continue; }
    if (!entryBindsEvent(decoded, ev, salt, manifest.case?.id)) { problems.push(`事件 ${ev.id}（${ev.kind}）的账本条目不属于本案，或其类型、日期与事件不符`); continue; }
    if (cp) {
      try {
        const root = rootFromInclusionProof(ev.ledger.index, cp.size, leafHash(entry), ev.ledger.proof.map((p) => Buffer.from(p, 'base64')));
        if (!root.equals(cp.root)) problems.push(`事件 ${ev.id} 的包含证明不能导出检查点的根哈希`);
      } catch (err) {
        problems.push(`事件 ${ev.id} 的包含证明无效：${err.message}`);
      }
    }
    if (ev.kind === 'cases.document_finalised') committed.pdf.add(ev.data.pdfSha256);
    if (ev.kind === 'cases.record_added') {
      if (ev.data.blobSha256) committed.blob.add(ev.data.blobSha256);
      if (ev.data.contentSha256) committed.text.add(ev.data.contentSha256);
    }
  }

  // 5. Every file is bound to a committed event by its hash.
  for (const f of manifest.files) {
    const set = f.kind === 'document' ? committed.pdf : f.kind === 'text' ? committed.text : committed.blob;
    if (!set.has(f.sha256)) problems.push(`文件 ${f.path}（${f.title}）的摘要未见于已上链的事件`);
  }

  return {
    ok: problems.length === 0,
    problems,
    keyFromPackage: !opts.key,
    checked: { files: manifest.files.length, events: manifest.events.length, checkpointSize: cp?.size ?? null, case: manifest.case?.number ?? null },
  };
}

// ---- command line ----

const invoked = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invoked) {
  const args = process.argv.slice(2);
  const k = args.indexOf('--key');
  const key = k >= 0 ? args[k + 1] : undefined;
  const source = args.find((a, i) => !a.startsWith('--') && (k < 0 || i !== k + 1)) ?? path.dirname(new URL(import.meta.url).pathname);
  let r;
  try {
    r = verifyPackage(source, { key });
  } catch (err) {
    console.error(`核验失败：${err.message}`);
    process.exit(2);
  }
  console.log(`案卷：${r.checked.case ?? '未知'}；文件 ${r.checked.files} 个，上链事件 ${r.checked.events} 条，检查点树大小 ${r.checked.checkpointSize ?? '—'}。`);
  if (r.keyFromPackage) console.log('注意：未用 --key 指定日志公钥，使用的是包内附带的公钥；请与平台公布的 /ledger/key 核对。');
  if (r.ok) {
    console.log('核验通过：所有文件与清单一致，所有事件均已记入签名的账本检查点。');
    process.exit(0);
  }
  console.log(`核验未通过，发现 ${r.problems.length} 个问题：`);
  for (const p of r.problems) console.log(`  - ${p}`);
  process.exit(1);
}
