// /ledger/verify: anyone drops a file or pastes a published text; the browser hashes it, asks where
// the log holds that digest, fetches the inclusion proof and the signed checkpoint, and checks both
// itself (RFC 9162 §2.1.3.2, C2SP signed-note Ed25519) — the server is asked, never believed (R-R05).
//
// The checking code is plain browser JavaScript kept in VERIFY_LIB_JS (no DOM), so the test suite
// runs the very same code in Node against a real log (verify-page.test.ts).
import crypto from 'node:crypto';

/** Pure verification functions for the browser (and for tests); uses only crypto.subtle, atob, TextEncoder. */
export const VERIFY_LIB_JS = String.raw`
var te = new TextEncoder();
function b64dec(s) { var bin = atob(s); var out = new Uint8Array(bin.length); for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i); return out; }
function b64enc(u8) { var s = ''; for (var i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]); return btoa(s); }
function toHex(u8) { var s = ''; for (var i = 0; i < u8.length; i++) s += (u8[i] < 16 ? '0' : '') + u8[i].toString(16); return s; }
function concatBytes(list) { var n = 0; list.forEach(function (a) { n += a.length; }); var out = new Uint8Array(n); var at = 0; list.forEach(function (a) { out.set(a, at); at += a.length; }); return out; }
function sameBytes(a, b) { if (a.length !== b.length) return false; for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false; return true; }
async function sha256(u8) { return new Uint8Array(await crypto.subtle.digest('SHA-256', u8)); }
async function hashLeaf(entry) { return sha256(concatBytes([new Uint8Array([0]), entry])); }
async function hashChildren(l, r) { return sha256(concatBytes([new Uint8Array([1]), l, r])); }

// Streaming SHA-256 for files too large to hand to crypto.subtle in one piece (evidence videos).
function Sha256() {
  this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  this.buf = new Uint8Array(64); this.fill = 0; this.len = 0; this.w = new Uint32Array(64);
}
Sha256.K = new Uint32Array([0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2]);
Sha256.prototype.block = function (b, off) {
  var w = this.w, h = this.h, K = Sha256.K, i;
  for (i = 0; i < 16; i++) w[i] = (b[off + 4 * i] << 24) | (b[off + 4 * i + 1] << 16) | (b[off + 4 * i + 2] << 8) | b[off + 4 * i + 3];
  for (i = 16; i < 64; i++) {
    var x = w[i - 15], y = w[i - 2];
    var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  var a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (i = 0; i < 64; i++) {
    var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    var t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    var t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
    hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
  }
  h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
};
Sha256.prototype.update = function (u8) {
  var i = 0; this.len += u8.length;
  if (this.fill) { while (this.fill < 64 && i < u8.length) this.buf[this.fill++] = u8[i++]; if (this.fill === 64) { this.block(this.buf, 0); this.fill = 0; } }
  for (; i + 64 <= u8.length; i += 64) this.block(u8, i);
  while (i < u8.length) this.buf[this.fill++] = u8[i++];
};
Sha256.prototype.digest = function () {
  var bits = this.len * 8, pad = new Uint8Array((this.fill < 56 ? 56 : 120) - this.fill + 8);
  pad[0] = 0x80;
  var hi = Math.floor(bits / 4294967296), lo = bits >>> 0, n = pad.length;
  pad[n - 8] = hi >>> 24; pad[n - 7] = hi >>> 16; pad[n - 6] = hi >>> 8; pad[n - 5] = hi;
  pad[n - 4] = lo >>> 24; pad[n - 3] = lo >>> 16; pad[n - 2] = lo >>> 8; pad[n - 1] = lo;
  this.update(pad);
  var out = new Uint8Array(32);
  for (var i = 0; i < 8; i++) { out[4 * i] = this.h[i] >>> 24; out[4 * i + 1] = this.h[i] >>> 16; out[4 * i + 2] = this.h[i] >>> 8; out[4 * i + 3] = this.h[i]; }
  return out;
};

// RFC 9162 §2.1.3.2, with plain arithmetic (indices may pass 2^31).
async function rootFromInclusionProof(index, size, leaf, proof) {
  if (!(index >= 0 && index < size)) throw new Error('序号不在树内');
  if (leaf.length !== 32 || proof.some(function (p) { return p.length !== 32; })) throw new Error('哈希长度不是 32 字节');
  var fn = index, sn = size - 1, r = leaf;
  for (var i = 0; i < proof.length; i++) {
    if (sn === 0) throw new Error('包含证明过长');
    if (fn % 2 === 1 || fn === sn) {
      r = await hashChildren(proof[i], r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = fn / 2; sn = Math.floor(sn / 2); }
    } else {
      r = await hashChildren(r, proof[i]);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('包含证明过短');
  return r;
}

function parseVerifierKey(vkey) {
  var s = vkey.trim(), a = s.indexOf('+'), b = s.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new Error('公钥格式应为 名称+密钥编号+base64');
  var material = b64dec(s.slice(b + 1));
  if (material[0] !== 1 || material.length !== 33) throw new Error('不是 Ed25519 日志公钥');
  return { name: s.slice(0, a), keyIdHex: s.slice(a + 1, b), material: material, publicKey: material.slice(1) };
}

// C2SP signed-note + tlog-checkpoint: returns the checkpoint and whether the log's Ed25519 signature
// verified (null when this browser has no Ed25519 in crypto.subtle).
async function openCheckpoint(noteText, vkey) {
  var key = parseVerifierKey(vkey);
  var idBytes = (await sha256(concatBytes([te.encode(key.name), new Uint8Array([10]), key.material]))).slice(0, 4);
  if (toHex(idBytes) !== key.keyIdHex) throw new Error('公钥的密钥编号与公钥不符');
  if (noteText.slice(-1) !== '\n') throw new Error('检查点必须以换行结束');
  var split = noteText.lastIndexOf('\n\n');
  if (split < 0) throw new Error('检查点缺少签名');
  var text = noteText.slice(0, split + 1);
  var lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines[0] !== key.name || !/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Error('检查点正文格式不对或来源与公钥不符');
  var root = b64dec(lines[2]);
  if (root.length !== 32) throw new Error('根哈希不是 32 字节');
  var sigLines = noteText.slice(split + 2, -1).split('\n');
  var sig = null;
  sigLines.forEach(function (l) {
    var m = /^\u2014 (\S+) (\S+)$/.exec(l);
    if (!m || m[1] !== key.name) return;
    var raw = b64dec(m[2]);
    if (toHex(raw.slice(0, 4)) === key.keyIdHex) sig = raw.slice(4);
  });
  if (!sig) throw new Error('检查点上没有该公钥的签名');
  var verified = null;
  var cryptoKey = null;
  try { cryptoKey = await crypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']); } catch (e) { cryptoKey = null; }
  if (cryptoKey) {
    verified = await crypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, sig, te.encode(text));
    if (!verified) throw new Error('检查点签名验证失败');
  }
  return { origin: lines[0], size: Number(lines[1]), root: root, signatureVerified: verified };
}

// The whole check for one digest. fetchText/fetchJson are given the path (relative to the site).
async function verifyDigest(digestHex, vkey, fetchText, fetchJson) {
  var found = await fetchJson('/api/v1/ledger/entries/by-commitment/' + digestHex);
  if (!found.entries.length) return { digest: digestHex, found: false, results: [] };
  var cp = await openCheckpoint(await fetchText('/ledger/checkpoint'), vkey);
  var results = [];
  for (var i = 0; i < found.entries.length && i < 5; i++) {
    var e = found.entries[i];
    var entryBytes = b64dec(e.entry);
    var entry = JSON.parse(new TextDecoder().decode(entryBytes));
    if (entry.commitment !== digestHex && entry.content !== digestHex) throw new Error('服务器返回的条目不包含该摘要');
    var leaf = await hashLeaf(entryBytes);
    var p = await fetchJson('/api/v1/ledger/proof/inclusion?index=' + e.index + '&size=' + cp.size);
    if (b64enc(leaf) !== p.leafHash) throw new Error('条目哈希与证明中的叶子哈希不符');
    var root = await rootFromInclusionProof(e.index, cp.size, leaf, p.proof.map(b64dec));
    if (!sameBytes(root, cp.root)) throw new Error('包含证明算出的根哈希与签名检查点不符');
    results.push({ index: e.index, entry: entry, treeSize: cp.size, root: b64enc(cp.root), signatureVerified: cp.signatureVerified });
  }
  return { digest: digestHex, found: true, results: results };
}
`;

const PAGE_JS = String.raw`
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var out = $('result');
  function show(html) { out.innerHTML = html; }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  async function fetchText(p) { var r = await fetch(p); if (!r.ok) throw new Error('请求 ' + p + ' 失败：' + r.status); return r.text(); }
  async function fetchJson(p) { var r = await fetch(p); var j = await r.json(); if (!r.ok) throw new Error(j.detail || ('请求失败：' + r.status)); return j; }

  async function digestFile(file) {
    if (file.size <= 256 * 1024 * 1024) return toHex(await sha256(new Uint8Array(await file.arrayBuffer())));
    var h = new Sha256(), reader = file.stream().getReader(), done = 0;
    for (;;) {
      var step = await reader.read();
      if (step.done) break;
      h.update(step.value); done += step.value.length;
      show('正在计算 SHA-256：' + Math.floor(done * 100 / file.size) + '%');
    }
    return toHex(h.digest());
  }

  // Version-2 entries name only the domain and the day; what happened to which object is blinded
  // (docs/LEDGER.md §1.1). Older entries still show their kind and exact time.
  function describeEntry(e) {
    var what = e.v === 2 ? '领域：' + esc(e.domain) + '　日期：' + esc(e.day) + '（北京时间）' : '类型：' + esc(e.kind) + '　时间：' + esc(e.time);
    return what + (e.agency ? '　机关：' + esc(e.agency) : '');
  }

  function render(all) {
    var html = '';
    all.forEach(function (r) {
      if (!r.found) { html += '<div class="bad"><b>未在账本中找到</b><br>SHA-256：<code>' + esc(r.digest) + '</code></div>'; return; }
      r.results.forEach(function (x) {
        var sig = x.signatureVerified === true ? '检查点签名已在浏览器中验证 ✔' : '本浏览器不支持 Ed25519，检查点签名未在浏览器中验证（可用 sanxiang verify 复核）';
        html += '<div class="ok"><b>已收录：账本第 ' + x.index + ' 条</b>（序号从 0 起）<br>' +
          describeEntry(x.entry) + '<br>' +
          '包含证明已在浏览器中验证 ✔，对应检查点：树大小 ' + x.treeSize + '，根哈希 <code>' + esc(x.root) + '</code><br>' + sig + '<br>' +
          'SHA-256：<code>' + esc(r.digest) + '</code></div>';
      });
    });
    show(html || '没有可验证的内容。');
  }

  async function run(digests) {
    var vkey = $('vkey').value;
    show('正在查询并验证……');
    try {
      var all = [];
      for (var i = 0; i < digests.length; i++) {
        var r = await verifyDigest(digests[i], vkey, fetchText, fetchJson);
        if (r.found || i === digests.length - 1) { all.push(r); if (r.found) break; }
      }
      render(all);
    } catch (e) {
      show('<div class="bad"><b>验证失败</b>：' + esc(e.message) + '</div>');
    }
  }

  $('file').addEventListener('change', async function () { var f = this.files[0]; if (f) run([await digestFile(f)]); });
  var drop = $('drop');
  drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
  drop.addEventListener('drop', async function (e) { e.preventDefault(); drop.classList.remove('over'); var f = e.dataTransfer.files[0]; if (f) run([await digestFile(f)]); });
  $('check-text').addEventListener('click', async function () {
    var t = $('text').value;
    // The text as pasted first, then with line endings normalised and outer blank space removed.
    var variants = [t, t.replace(/\r\n/g, '\n').trim()];
    var digests = [];
    for (var i = 0; i < variants.length; i++) { var d = toHex(await sha256(te.encode(variants[i]))); if (digests.indexOf(d) < 0) digests.push(d); }
    run(digests);
  });
  $('check-hex').addEventListener('click', function () {
    var h = $('hex').value.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(h)) { show('<div class="bad">请输入 64 位十六进制的 SHA-256 值</div>'); return; }
    run([h]);
  });
})();
`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function verifyPageHtml(opts: { origin: string; verifierKey: string }): { html: string; nonce: string } {
  const nonce = crypto.randomBytes(16).toString('base64');
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>账本公开验证 · 三项</title>
<style>
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1f1f1f; line-height: 1.6; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
  #drop { border: 2px dashed #8c8c8c; border-radius: 8px; padding: 2rem; text-align: center; }
  #drop.over { background: #e6f4ff; border-color: #1677ff; }
  textarea, input[type=text] { width: 100%; box-sizing: border-box; font: inherit; }
  code { word-break: break-all; font-size: .85em; }
  .ok { border-left: 4px solid #52c41a; background: #f6ffed; padding: .75rem 1rem; margin: .75rem 0; }
  .bad { border-left: 4px solid #ff4d4f; background: #fff2f0; padding: .75rem 1rem; margin: .75rem 0; }
  button { font: inherit; padding: .3rem 1rem; margin-top: .4rem; }
  small { color: #595959; }
</style>
</head>
<body>
<h1>账本公开验证</h1>
<p>本平台把每一条执法记录和每一次状态变化的<strong>承诺值</strong>（而不是内容本身）写入公开、只增不改的 Merkle 日志
（RFC 6962 / C2SP tlog-tiles），并对日志状态签名。您可以在这里核对一份文件或一段公示文本是否被日志收录：
文件在您的浏览器中计算 SHA-256，不会上传；收录证明和签名也在浏览器中验证，不必相信本网站的答复。</p>

<h2>一、日志公钥</h2>
<p><small>请与机关正式公布的公钥核对（日志来源标识：<code>${escapeHtml(opts.origin)}</code>）。</small></p>
<input type="text" id="vkey" value="${escapeHtml(opts.verifierKey)}" spellcheck="false" aria-label="日志公钥">

<h2>二、要核对的内容</h2>
<div id="drop">把文件拖到这里，或 <input type="file" id="file" aria-label="选择文件"></div>
<p>或粘贴公示的决定文本：</p>
<textarea id="text" rows="6" aria-label="公示文本"></textarea>
<button id="check-text" type="button">核对文本</button>
<p>或直接输入 SHA-256（十六进制）：</p>
<input type="text" id="hex" spellcheck="false" aria-label="SHA-256">
<button id="check-hex" type="button">核对摘要</button>

<h2>三、结果</h2>
<div id="result" aria-live="polite"><small>尚未核对。</small></div>

<p><small>审计人员可用命令行工具独立复核整个日志：<code>sanxiang verify ${escapeHtml(opts.origin.startsWith('localhost') ? 'http' : 'https')}://${escapeHtml(opts.origin)}</code>。
格式说明见 C2SP tlog-tiles、tlog-checkpoint、signed-note。</small></p>
<script nonce="${nonce}">${VERIFY_LIB_JS}${PAGE_JS}</script>
</body>
</html>`;
  return { html, nonce };
}
