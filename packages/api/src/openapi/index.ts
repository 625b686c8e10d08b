export { registerOpenApi, API_TAGS, type OpenApiOptions } from './document.js';
export { openApiRoutes } from './routes.js';
export { referencePage } from './reference-page.js';
