import type { FastifyInstance } from 'fastify';
import type { OAuthDeps } from './deps.js';
import { connectContext } from './connect/context.js';
import { authorizeHandler } from './connect/authorize.js';
import { reauthenticateHandler } from './connect/reauthenticate.js';
import { batteryCapacityHandler, batteryChoiceHandler } from './connect/battery-capacity.js';
import { showHandler } from './connect/show.js';
import { PAGE_STEPS } from './connect/steps.js';
import { brandLogoHandler } from './connect/brand-logos.js';
import { brandHandler, continueHandler, exitHandler, returnHandler } from './connect/actions/navigation.js';
import { loginHandler } from './connect/actions/login.js';
import { consentHandler } from './connect/actions/consent.js';
import { tokenHandler } from './token/route.js';
import { tokenErrorHandler } from './token/error-handler.js';
import { clientCredentialsHandler } from './app-token/client-credentials.js';
import { demoCallbackHandler } from './connect/demo-callback.js';
import { oemCallbackHandler, oemReturnHandler, oemStartHandler } from './connect/oem-sign-in.js';

const connect = (summary: string) => ({ schema: { tags: ['Connect'], summary } });
const flowParams = { type: 'object', properties: { flowId: { type: 'string' } }, required: ['flowId'] } as const;
const step = (summary: string) => ({ schema: { tags: ['Connect'], summary, params: flowParams } });

/** Connect (the owner-facing consent pages) and the OAuth 2.0 token endpoint, on one origin. */
export function oauthPlugin(deps: OAuthDeps) {
  return async function oauth(app: FastifyInstance): Promise<void> {
    const ctx = connectContext(deps);
    app.get('/oauth/authorize', connect('Start Connect: the owner links vehicles to an application'), authorizeHandler(ctx));
    app.get('/oauth/reauthenticate', connect('Re-authenticate a connected vehicle; redirects back with vehicle_id'), reauthenticateHandler(ctx));
    app.get('/battery-capacity', connect('Ask the owner for the usable battery capacity of a vehicle'), batteryCapacityHandler(ctx));
    app.get('/connect/demo-callback', connect('Where the demo application lands after Connect: shows the code or error'), demoCallbackHandler());
    app.get('/connect/:flowId', step('Current Connect page of a flow'), showHandler(ctx));
    for (const s of PAGE_STEPS) app.get(`/connect/:flowId/${s}`, step(`The ${s} page of a flow; an earlier step takes the flow back to it (Back)`), showHandler(ctx, s));
    app.get('/connect-assets/brands/:make', { schema: { hide: true } }, brandLogoHandler());
    app.post('/connect/:flowId/continue', step('Leave the preamble'), continueHandler(ctx));
    app.post('/connect/:flowId/brand', step('Choose a brand'), brandHandler(ctx));
    app.post('/connect/:flowId/login', step('Sign in to the brand account'), loginHandler(ctx));
    app.get('/connect/:flowId/oem', step('Leave for the brand\'s own sign-in page (OAuth brands)'), oemStartHandler(ctx));
    app.get('/connect/:flowId/oem/return', step('Back from the brand\'s sign-in page: exchange the code, then choose vehicles'), oemReturnHandler(ctx));
    app.get('/connect/oem/:make/callback', {
      schema: {
        tags: ['Connect'], summary: 'Where a brand\'s OAuth sign-in returns (register this URL at the brand, e.g. /connect/oem/tesla/callback)',
        params: { type: 'object', properties: { make: { type: 'string' } }, required: ['make'] },
      },
    }, oemCallbackHandler(ctx));
    app.post('/connect/:flowId/consent', step('Approve or deny the permissions'), consentHandler(ctx));
    app.post('/connect/:flowId/battery', step('Submit the battery capacity'), batteryChoiceHandler(ctx));
    app.post('/connect/:flowId/return', step('Back to the application'), returnHandler(ctx));
    app.post('/connect/:flowId/exit', step('Exit from a Connect error page'), exitHandler(ctx));
    app.post('/oauth/token', {
      errorHandler: tokenErrorHandler,
      schema: {
        tags: ['OAuth'],
        summary: 'Exchange an authorization code or a refresh token for tokens',
        description: 'Client credentials in `Authorization: Basic` or in the form body. Errors are `{error, error_description}`.',
      },
    }, tokenHandler(deps));
    app.post('/oauth2/token', {
      errorHandler: tokenErrorHandler,
      schema: {
        tags: ['OAuth'],
        summary: 'Application token (API v3): client credentials grant',
        description: 'JSON or form body `{client_id, client_secret, grant_type: "client_credentials"}` with a v3 machine credential (`client_…`), or Basic authorization. '
          + 'Answers `{access_token, token_type: "Bearer", expires_in: 3600}` without a refresh token; errors are `400 invalid_request` and `401 invalid_client` as `{error, error_description}`.',
      },
    }, clientCredentialsHandler(deps));
  };
}
