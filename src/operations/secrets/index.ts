export { NotASecretError, SecretRequiredError, SecretSourceError } from "./errors.ts";
export { isSecretMarker, markedSecrets, secretMarker, secretParams } from "./model.ts";
export { MAX_REASON_CHARS, Redactor } from "./redactor.ts";
export { processSources, readSource, type SourceReader } from "./sources.ts";
export { assertSecretsPresent, supplySecrets } from "./supply.ts";
