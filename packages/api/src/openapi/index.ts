export { registerOpenApi, API_TAGS, PAGE_ROUTE, pageRoutes, type OpenApiOptions, type PageRoute } from './document.js';
export { openApiRoutes } from './routes.js';
export { referencePage, REFERENCE_CSP } from './reference-page.js';
export { curlSnippet, nodeSnippet, SDK_CALLS, type SdkCall } from './snippets.js';
export { fieldRows, typeLabel, type FieldRow } from './schema-fields.js';
export { OPERATION_EXAMPLES, withExamples, type OperationExample, type OperationExamples } from './examples.js';
export type { OpenApiRouteOptions } from './routes.js';
