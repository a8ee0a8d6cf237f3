// Types of draw-kernel.js (plain JavaScript so that worker threads can load it).
export declare class PrefixHasher {
  constructor(prefix: Uint8Array);
  hashLp(text: string, out: Int32Array, outAt: number): void;
}
export declare function objectPrefix(seed: Uint8Array, cls: string): Uint8Array;
export declare function officerPrefix(seed: Uint8Array, creditCode: string): Uint8Array;
export declare function compareKeys(keys: Int32Array, i: number, keys2: Int32Array, j: number): number;
export declare function compareCodes(a: string, b: string): number;
export declare function lowestKeys(prefix: Uint8Array, texts: readonly string[], q: number): { idx: Int32Array; keys: Int32Array };
export declare function rankGroups(seed: Uint8Array, officerIds: readonly string[], groups: readonly Int32Array[], codes: readonly string[], groupOf: Int32Array, k: number): { idx: Int32Array; keys: Int32Array };
export declare function keyHex(keys: Int32Array, at: number): string;
