// Case documents (执法文书): structured forms, PDF and DOCX rendering, document numbers (文号).
// Other modules use this file; see docs/DOCUMENTS.md.
export {
  DOCUMENTS,
  DOCUMENT_TYPES,
  PENALTY_KINDS,
  HEARING_PENALTIES,
  NO_PENALTY_GROUNDS,
  SERVICE_METHODS,
  RETENTION_PERIODS,
  checkDocumentFields,
  documentDefinition,
  parseDocumentFields,
  type DocumentDefinition,
  type DocumentFields,
  type DocumentLayout,
  type DocumentType,
  type FieldKind,
  type FieldSpec,
  type ParseResult,
  type ValidationContext,
} from './schema.ts';
export { chineseDate, composeDocument, rmbUppercase, type ComposedDocument, type DocumentInput } from './content.ts';
export { renderDocumentPdf, renderComposedPdf, type PdfOptions } from './pdf.ts';
export { renderDocumentDocx } from './docx.ts';
export { formatDocumentNumber, lastDocumentSeq, nextDocumentNumber, parseDocumentNumber, type DocumentNumber, type DocumentNumberRequest } from './numbering.ts';
export { FONT_LICENSE, FONT_PACKAGE, fontCacheStats, preloadFonts } from './fonts.ts';
export { sampleDocument, sampleFields } from './samples.ts';
export { FORMS, FORM_TYPES, checkFormFields, composeForm, isForm, type FormDefinition } from './forms.ts';
export { sampleFormFields } from './form-samples.ts';
