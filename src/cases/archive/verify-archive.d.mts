// Types of the offline verifier (plain JavaScript so that it runs anywhere Node runs, copied into every package).
export function canonicalJson(v: unknown): string;
export function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Buffer;
export function blindedSubject(salt: Uint8Array, kind: string, subjectType: string, subjectId: string): string;
export function entryDay(iso: string): string;
export function verifyCheckpoint(note: string, vkey: string): { origin: string; size: number; root: Buffer };
export interface PackageVerification {
  ok: boolean;
  problems: string[];
  keyFromPackage?: boolean;
  checked: { files?: number; events?: number; checkpointSize?: number | null; case?: string | null };
}
export function verifyPackage(source: string, opts?: { key?: string }): PackageVerification;
