// sanxiang-draw/v1 recomputed in the browser (docs/DRAW.md): downloads the task's published data and
// candidate lists, recomputes each class's RFC 6962 Merkle root, the seed from the commitment's leaf
// hash and the reveals, and the selection, with WebCrypto only, and says whether all of it matches.
// Port of src/inspections/draw.ts; the browser test checks both agree.
(function () {
  'use strict';
  var te = new TextEncoder();
  function sha256(u8) { return crypto.subtle.digest('SHA-256', u8).then(function (b) { return new Uint8Array(b); }); }
  function toHex(u8) { var s = ''; for (var i = 0; i < u8.length; i++) s += (u8[i] < 16 ? '0' : '') + u8[i].toString(16); return s; }
  function fromHex(h) { var out = new Uint8Array(h.length / 2); for (var i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16); return out; }
  function concat(list) { var n = 0, i; for (i = 0; i < list.length; i++) n += list[i].length; var out = new Uint8Array(n), at = 0; for (i = 0; i < list.length; i++) { out.set(list[i], at); at += list[i].length; } return out; }
  function lp(x) { var l = new Uint8Array(4); new DataView(l.buffer).setUint32(0, x.length, false); return concat([l, x]); }
  function cmp(a, b) { var n = Math.min(a.length, b.length); for (var i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]; return a.length - b.length; }

  async function merkleRoot(codes) {
    if (!codes.length) return sha256(new Uint8Array(0));
    var level = await Promise.all(codes.map(function (c) { return sha256(concat([new Uint8Array([0]), te.encode(c)])); }));
    while (level.length > 1) {
      var next = [];
      for (var i = 0; i + 1 < level.length; i += 2) next.push(sha256(concat([new Uint8Array([1]), level[i], level[i + 1]])));
      next = await Promise.all(next);
      if (level.length % 2 === 1) next.push(level[level.length - 1]);
      level = next;
    }
    return level[0];
  }

  function isCanonical(codes) {
    for (var i = 1; i < codes.length; i++) if (cmp(te.encode(codes[i - 1]), te.encode(codes[i])) >= 0) return false;
    return true;
  }

  /** Returns a list of problems; empty when everything published matches the recomputation. */
  async function verifyDraw(task, candidates) {
    var problems = [];
    if (task.algorithm !== 'sanxiang-draw/v1') return ['未知算法：' + task.algorithm];
    var lists = {};
    candidates.classes.forEach(function (c) { lists[c.class] = c.creditCodes; });
    for (var k = 0; k < task.classes.length; k++) {
      var cls = task.classes[k], codes = lists[cls.class] || [];
      if (!isCanonical(codes)) problems.push(cls.class + ' 类候选名单不是按字节序排列且去重的');
      if (codes.length !== cls.count) problems.push(cls.class + ' 类候选数为 ' + codes.length + '，承诺为 ' + cls.count);
      var root = toHex(await merkleRoot(codes));
      if (root !== cls.root) problems.push(cls.class + ' 类候选名单的 Merkle 根与承诺不一致');
    }
    var parts = [te.encode('sanxiang-draw/v1 seed'), lp(fromHex(task.commitment.leafHash))];
    task.randomness.forEach(function (r) { parts.push(lp(fromHex(r.value))); });
    var seed = await sha256(concat(parts));
    if (toHex(seed) !== task.seed) problems.push('种子与公开的随机数计算结果不一致');
    var selected = [];
    for (k = 0; k < task.classes.length; k++) {
      cls = task.classes[k];
      codes = lists[cls.class] || [];
      var tag = te.encode('sanxiang-draw/v1 obj'), lc = lp(te.encode(cls.class));
      var keys = await Promise.all(codes.map(function (c) { return sha256(concat([tag, seed, lc, lp(te.encode(c))])); }));
      var keyed = codes.map(function (c, i) { return { code: c, key: keys[i] }; });
      keyed.sort(function (a, b) { return cmp(a.key, b.key) || cmp(te.encode(a.code), te.encode(b.code)); });
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
