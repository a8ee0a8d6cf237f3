// sanxiang-draw/v1 recomputed in the browser (docs/DRAW.md): downloads the task's published data and
// candidate lists, recomputes each class's RFC 6962 Merkle root, the seed from the commitment's leaf
// hash and the reveals, and the selection, and says whether all of it matches.
// Port of src/inspections/draw.ts; the browser test checks both agree. SHA-256 runs in this script
// (FIPS 180-4): a WebCrypto digest is one promise per call, about 25 µs each, which made 100,000
// candidates (300,000 hashes) take 5–15 s; in script a short input costs about a microsecond. Before
// using it the page checks it against WebCrypto.
(function () {
  'use strict';
  var te = new TextEncoder();
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var W = new Int32Array(64), H = new Int32Array(8);
  function compress(b, at) {
    var i, x, y, t1, t2;
    for (i = 0; i < 16; i++) W[i] = (b[at + 4 * i] << 24) | (b[at + 4 * i + 1] << 16) | (b[at + 4 * i + 2] << 8) | b[at + 4 * i + 3];
    for (i = 16; i < 64; i++) {
      x = W[i - 15]; y = W[i - 2];
      W[i] = ((((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + W[i - 7] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + W[i - 16]) | 0;
    }
    var a = H[0], c1 = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], k = H[7];
    for (i = 0; i < 64; i++) {
      t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & c1) ^ (a & c) ^ (c1 & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = c1; c1 = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + c1) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + k) | 0;
  }
  var pad = new Uint8Array(256);
  function sha256(u8) {
    var n = u8.length, whole = n - (n % 64), blocks = Math.ceil((n - whole + 9) / 64), i;
    H[0] = 0x6a09e667; H[1] = 0xbb67ae85; H[2] = 0x3c6ef372; H[3] = 0xa54ff53a; H[4] = 0x510e527f; H[5] = 0x9b05688c; H[6] = 0x1f83d9ab; H[7] = 0x5be0cd19;
    for (i = 0; i < whole; i += 64) compress(u8, i);
    pad.fill(0, 0, 64 * blocks);
    pad.set(u8.subarray(whole), 0);
    pad[n - whole] = 0x80;
    var bits = n * 8, end = 64 * blocks;
    pad[end - 5] = Math.floor(bits / 4294967296) & 255;
    pad[end - 4] = bits >>> 24; pad[end - 3] = (bits >>> 16) & 255; pad[end - 2] = (bits >>> 8) & 255; pad[end - 1] = bits & 255;
    for (i = 0; i < end; i += 64) compress(pad, i);
    var out = new Uint8Array(32);
    for (i = 0; i < 8; i++) { out[4 * i] = H[i] >>> 24; out[4 * i + 1] = (H[i] >>> 16) & 255; out[4 * i + 2] = (H[i] >>> 8) & 255; out[4 * i + 3] = H[i] & 255; }
    return out;
  }
  function webSha256(u8) { return crypto.subtle.digest('SHA-256', u8).then(function (b) { return new Uint8Array(b); }); }
  function toHex(u8) { var s = ''; for (var i = 0; i < u8.length; i++) s += (u8[i] < 16 ? '0' : '') + u8[i].toString(16); return s; }
  function fromHex(h) { var out = new Uint8Array(h.length / 2); for (var i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16); return out; }
  function concat(list) { var n = 0, i; for (i = 0; i < list.length; i++) n += list[i].length; var out = new Uint8Array(n), at = 0; for (i = 0; i < list.length; i++) { out.set(list[i], at); at += list[i].length; } return out; }
  function lp(x) { var l = new Uint8Array(4); new DataView(l.buffer).setUint32(0, x.length, false); return concat([l, x]); }
  function cmp(a, b) { var n = Math.min(a.length, b.length); for (var i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]; return a.length - b.length; }
  var ASCII = /^[\x00-\x7f]*$/;
  // Byte order of the UTF-8 encodings; for ASCII (credit codes) the same as string order.
  function cmpCodes(a, b) { return ASCII.test(a) && ASCII.test(b) ? (a < b ? -1 : a > b ? 1 : 0) : cmp(te.encode(a), te.encode(b)); }

  /** The script's SHA-256 against the browser's own, on inputs of one, two and several blocks. */
  async function selfCheck() {
    for (var n = 0; n < 200; n += 23) {
      var x = new Uint8Array(n);
      for (var i = 0; i < n; i++) x[i] = (i * 131 + n) & 255;
      if (toHex(sha256(x)) !== toHex(await webSha256(x))) return false;
    }
    return true;
  }

  function merkleRoot(codes) {
    if (!codes.length) return sha256(new Uint8Array(0));
    var level = codes.map(function (c) { return sha256(concat([new Uint8Array([0]), te.encode(c)])); });
    while (level.length > 1) {
      var next = [];
      for (var i = 0; i + 1 < level.length; i += 2) next.push(sha256(concat([new Uint8Array([1]), level[i], level[i + 1]])));
      if (level.length % 2 === 1) next.push(level[level.length - 1]);
      level = next;
    }
    return level[0];
  }

  function isCanonical(codes) {
    for (var i = 1; i < codes.length; i++) if (cmpCodes(codes[i - 1], codes[i]) >= 0) return false;
    return true;
  }

  /** Returns a list of problems; empty when everything published matches the recomputation. */
  async function verifyDraw(task, candidates) {
    var problems = [];
    if (task.algorithm !== 'sanxiang-draw/v1') return ['未知算法：' + task.algorithm];
    if (!(await selfCheck())) return ['本页的 SHA-256 与浏览器自带的结果不一致，无法核验'];
    var lists = {};
    candidates.classes.forEach(function (c) { lists[c.class] = c.creditCodes; });
    for (var k = 0; k < task.classes.length; k++) {
      var cls = task.classes[k], codes = lists[cls.class] || [];
      if (!isCanonical(codes)) problems.push(cls.class + ' 类候选名单不是按字节序排列且去重的');
      if (codes.length !== cls.count) problems.push(cls.class + ' 类候选数为 ' + codes.length + '，承诺为 ' + cls.count);
      var root = toHex(merkleRoot(codes));
      if (root !== cls.root) problems.push(cls.class + ' 类候选名单的 Merkle 根与承诺不一致');
    }
    var parts = [te.encode('sanxiang-draw/v1 seed'), lp(fromHex(task.commitment.leafHash))];
    task.randomness.forEach(function (r) { parts.push(lp(fromHex(r.value))); });
    var seed = sha256(concat(parts));
    if (toHex(seed) !== task.seed) problems.push('种子与公开的随机数计算结果不一致');
    var selected = [];
    for (k = 0; k < task.classes.length; k++) {
      cls = task.classes[k];
      codes = lists[cls.class] || [];
      var tag = te.encode('sanxiang-draw/v1 obj'), lc = lp(te.encode(cls.class));
      var keyed = codes.map(function (c) { return { code: c, key: sha256(concat([tag, seed, lc, lp(te.encode(c))])) }; });
      keyed.sort(function (a, b) { return cmp(a.key, b.key) || cmpCodes(a.code, b.code); });
      keyed.slice(0, Math.min(cls.quota, codes.length)).forEach(function (x) { selected.push({ class: cls.class, creditCode: x.code, key: toHex(x.key) }); });
    }
    var same = selected.length === task.selected.length && selected.every(function (s, i) {
      var p = task.selected[i];
      return p.class === s.class && p.creditCode === s.creditCode && p.key === s.key;
    });
    if (!same) problems.push('按公开数据重新计算的抽取结果与公布的结果不一致');
    return problems;
  }

  if (typeof window !== 'undefined') window.sanxiangVerifyDraw = verifyDraw;
  var box = typeof document !== 'undefined' && document.getElementById('verify');
  if (!box) return;
  var button = document.getElementById('verify-run'), out = document.getElementById('verify-result');
  button.addEventListener('click', async function () {
    button.disabled = true;
    out.className = 'muted';
    out.textContent = '正在下载公开数据并计算……';
    try {
      var id = box.getAttribute('data-task');
      var base = '/api/v1/public/inspection-tasks/' + encodeURIComponent(id);
      var task = await (await fetch(base)).json();
      var candidates = await (await fetch(base + '/candidates')).json();
      var started = performance.now();
      var problems = await verifyDraw(task, candidates);
      var ms = Math.round(performance.now() - started);
      if (problems.length) {
        out.className = 'bad';
        out.setAttribute('data-verdict', 'mismatch');
        out.textContent = '不一致：' + problems.join('；');
      } else {
        out.className = 'ok';
        out.setAttribute('data-verdict', 'match');
        out.textContent = '一致：本机按 sanxiang-draw/v1 重新计算的候选名单根、种子和 ' + task.selected.length + ' 个抽取对象与公布的完全相同（用时 ' + ms + ' 毫秒）。';
      }
    } catch (e) {
      out.className = 'bad';
      out.setAttribute('data-verdict', 'error');
      out.textContent = '无法完成核验：' + (e && e.message ? e.message : e);
    } finally {
      button.disabled = false;
    }
  });
})();
