// The public portal is server-rendered HTML: it works without JavaScript, on any phone, and can be
// read by screen readers and search engines. Every value is escaped on the way in.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Tagged template: interpolations are escaped unless wrapped with raw(). */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string) => new Raw(html);
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += Array.isArray(v) ? v.map((x) => (x instanceof Raw ? x.html : esc(x))).join('') : v instanceof Raw ? v.html : esc(v);
    out += strings[i + 1];
  });
  return new Raw(out);
}

const STYLE = `
:root{--red:#b71c1c;--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--bg:#f5f6f8;--ok:#12612c;--warn:#8a4500;--bad:#a01515}
*{box-sizing:border-box}body{margin:0;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--ink);background:var(--bg);line-height:1.6}
a{color:#0b57d0}header.site{background:var(--red);color:#fff}header.site .in{max-width:1080px;margin:0 auto;padding:14px 16px;display:flex;flex-wrap:wrap;gap:12px;align-items:center;justify-content:space-between}
header.site a{color:#fff;text-decoration:none}header.site .brand{font-size:20px;font-weight:700;letter-spacing:1px}nav{display:flex;flex-wrap:wrap;gap:4px 16px}nav a{font-size:15px;white-space:nowrap}
.demo{background:#ff9800;color:#1f1300;text-align:center;padding:6px;font-weight:700}
main{max-width:1080px;margin:0 auto;padding:20px 16px 48px}h1{font-size:24px;margin:8px 0 16px}h2{font-size:19px;margin:24px 0 10px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px;margin-bottom:16px}
form.search{display:flex;gap:8px;flex-wrap:wrap}form.search input,form.search select{flex:1 1 200px;padding:10px;font-size:16px;border:1px solid var(--line);border-radius:6px}
button,.btn{padding:10px 18px;font-size:16px;background:var(--red);color:#fff;border:0;border-radius:6px;cursor:pointer;text-decoration:none}
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}th{background:#fafbfc;font-weight:600;white-space:nowrap}
.tag{display:inline-block;padding:1px 8px;border-radius:4px;font-size:13px;font-weight:600}.tag.valid{background:#e6f4ea;color:var(--ok)}.tag.suspended{background:#fff3e0;color:var(--warn)}.tag.revoked,.tag.expired{background:#fdecea;color:var(--bad)}
.verdict{border-radius:10px;padding:20px;margin-bottom:16px;color:#fff}.verdict.valid{background:var(--ok)}.verdict.suspended{background:var(--warn)}.verdict.revoked,.verdict.expired,.verdict.unknown{background:var(--bad)}
.verdict .big{font-size:30px;font-weight:800;letter-spacing:2px}dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
.muted{color:var(--muted)}.pager{margin-top:12px;display:flex;gap:12px;align-items:center}footer{color:var(--muted);text-align:center;font-size:13px;padding:24px}
@media (max-width:640px){table.responsive thead{display:none}table.responsive tr{display:block;border-bottom:1px solid var(--line);padding:8px 0}table.responsive td{display:flex;gap:8px;border:0;padding:2px 10px}table.responsive td::before{content:attr(data-label);color:var(--muted);min-width:5em}nav{gap:4px 12px}}
`;

export function page(opts: { title: string; demo: boolean; body: Raw }): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(opts.title)} - 行政执法公示平台</title><style>${STYLE}</style></head>
<body>${opts.demo ? '<div class="demo" role="status">演示环境：本站数据均为虚构，仅供体验与测试</div>' : ''}
<header class="site"><div class="in"><a class="brand" href="/">行政执法公示平台</a>
<nav aria-label="主导航"><a href="/decisions">执法决定</a><a href="/inspections">双随机抽查</a><a href="/complaints">投诉举报</a><a href="/matters">事项清单</a><a href="/guides">办事指南</a><a href="/annual-reports">统计年报</a><a href="/benchmarks">裁量基准</a><a href="/agencies">执法主体</a><a href="/officers">执法人员</a><a href="/procedures">执法流程</a><a href="/ledger/verify">存证核验</a><a href="/admin/">工作人员登录</a></nav></div></header>
<main>${opts.body.html}</main>
<footer>行政执法三项制度：行政执法公示 · 执法全过程记录 · 重大执法决定法制审核</footer>
</body></html>`;
}
