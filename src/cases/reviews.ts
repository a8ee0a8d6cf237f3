// Moved to src/review/ (DESIGN §4): the case engine and older imports reach legal review here.
export * from '../review/submissions.ts';
