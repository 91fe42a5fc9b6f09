export { type AwsClientSettings, AwsClients, type AwsService, awsEndpoint } from "./clients.ts";
