// Moved to src/review/catalog.ts (DESIGN §4).
export * from '../review/catalog.ts';
