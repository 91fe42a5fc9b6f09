/**
 * What a server will execute: the actions an operation or scenario uses, and the allow-list
 * (`opsdojo serve --allow-actions`) that refuses the others at registration and at start.
 *
 * @example
 * const allow = AllowList.parse("file.*,s3.*", "--allow-actions");
 * allow.check(actionsUsed(operation)); // throws ActionNotAllowedError for a shell.run step
 */
export { type ActionUse, actionsUsed, checkAction, checksUsed, stepsUsed } from "./actions-used.ts";
export { AllowList } from "./allow-list.ts";
export { ActionNotAllowedError, AllowListError } from "./errors.ts";
