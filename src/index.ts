/** copydesk as a library: the pure stages, the output record's schema and the typed errors. */
export { createStages, processRecords, processFileBytes, type Stages, type StageDeps } from './pipeline.js';
export { ArticleSchema, SCHEMA_VERSION, type Article } from './schema/article.js';
export { CopydeskError, ERROR_CODES, isPermanent, errorCode, type ErrorCode } from './errors.js';
