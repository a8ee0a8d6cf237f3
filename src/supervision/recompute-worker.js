// The worker thread's entry: the server runs TypeScript through tsx (bin/sanxiang.js), and a worker thread
// does not inherit the loader hooks registered in the main thread, so it registers them itself.
import { register } from 'tsx/esm/api';

register();
await import('./recompute-worker.ts');
