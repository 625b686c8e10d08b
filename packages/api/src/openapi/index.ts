export { registerOpenApi, API_TAGS, PAGE_ROUTE, pageRoutes, type OpenApiOptions, type PageRoute } from './document.js';
export { openApiRoutes } from './routes.js';
export { referencePage } from './reference-page.js';
export { OPERATION_EXAMPLES, withExamples, type OperationExample, type OperationExamples } from './examples.js';
