// The 双公示 CSV stream (issue 8, R-P17): rows are read from their source only as fast as the client takes
// the bytes, so a slow or stalled download holds a bounded number of rows in memory whatever the export's
// size, and a client that goes away stops the reading.
import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { csvStream } from '../src/publicity/public.ts';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await turn();
};

/** An endless row source that counts what was taken from it and whether it was closed. */
function source() {
  const state = { produced: 0, closed: false };
  async function* rows() {
    try {
      for (;;) {
        state.produced++;
        yield { CF_WSH: `罚〔2026〕${state.produced}号`, CF_XDR_MC: '杭州某某食品有限公司'.repeat(3) };
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, rows: rows() };
}

describe('CSV export stream', () => {
  it('stops taking rows while the client does not read, and goes on when it reads', async () => {
    const { state, rows } = source();
    const out = csvStream(rows, ['CF_WSH', 'CF_XDR_MC']);
    await turns(200);
    const stalled = state.produced;
    expect(stalled).toBeGreaterThan(0);
    // A few hundred rows fill the stream's buffers; then nothing more is taken.
    expect(stalled).toBeLessThan(1000);
    await turns(500);
    expect(state.produced).toBe(stalled);
    // The client takes what is buffered: more rows are taken, and again only up to the buffers' size.
    let bytes = 0;
    for (let c = out.read() as Buffer | null; c; c = out.read() as Buffer | null) bytes += c.length;
    await turns(200);
    expect(bytes).toBeGreaterThan(0);
    expect(state.produced).toBeGreaterThan(stalled);
    expect(state.produced).toBeLessThan(stalled * 3);
    out.destroy();
    await turns(50);
    expect(state.closed).toBe(true);
    const after = state.produced;
    await turns(100);
    expect(state.produced).toBe(after);
  });

  it('writes every row of a finite source with the header first', async () => {
    async function* rows() {
      for (let i = 1; i <= 5000; i++) yield { CF_WSH: `罚〔2026〕${i}号`, CF_XDR_MC: i % 2 ? '王某某' : '含,逗号"引号' };
    }
    let text = '';
    for await (const c of csvStream(rows(), ['CF_WSH', 'CF_XDR_MC'])) text += String(c);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('\uFEFFCF_WSH,CF_XDR_MC');
    expect(lines).toHaveLength(5001);
    expect(lines[2]).toBe('罚〔2026〕2号,"含,逗号""引号"');
  });
});
