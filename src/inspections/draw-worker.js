// A worker thread of the parallel draw (parallel.ts): computes one slice of the object keys or of the
// officer rankings with draw-kernel.js and posts the result back; what a slice holds is fixed by the
// caller, so results never depend on which worker finishes first.
import { parentPort } from 'node:worker_threads';
import { lowestKeys, rankGroups } from './draw-kernel.js';

parentPort.on('message', (m) => {
  const r = m.kind === 'objects'
    ? lowestKeys(m.prefix, typeof m.texts === 'string' ? m.texts.split('\n') : m.texts, m.q)
    : rankGroups(m.seed, m.officerIds, m.groups, m.codes, m.groupOf, m.k);
  parentPort.postMessage(r, [r.idx.buffer, r.keys.buffer]);
});
