import { hmacSha256Hex, randomToken, sha256, uuid, type Clock } from '@opencar/core';
import type { ConnectMode } from '@opencar/connectors';
import type { OAuthRepo } from '@opencar/storage';
import type { Lang } from '../i18n/index.js';

/** How long an owner has to finish Connect once it started. */
export const FLOW_TTL_MS = 30 * 60 * 1000;

export type Step = 'preamble' | 'brand' | 'login' | 'consent' | 'battery' | 'error';

export interface FlowVehicle {
  vehicleId: string;
  vin: string;
  make: string;
  /** Brand as owners know it ("Mercedes-Benz"). */
  makeName?: string;
  model: string;
  year: number;
  /** Required permissions this vehicle cannot provide (empty = selectable). */
  unmet: string[];
}

/** The authorize request plus where the owner is in Connect; kept server-side, never in page URLs. */
export interface FlowData {
  kind: 'connect' | 'reauth' | 'battery';
  clientId: string;
  appName: string;
  logoUrl: string | null;
  redirectUri: string;
  /** False when the request omitted redirect_uri and the app's default was used. */
  redirectUriGiven: boolean;
  state: string | null;
  permissions: string[];
  required: string[];
  approvalPrompt: 'auto' | 'force';
  mode: ConnectMode;
  make: string | null;
  singleSelect: boolean;
  singleSelectVin: string | null;
  country: string;
  user: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  /** True when the app named the brand (`make`, `single_select_vin`): the brand list is not a step. */
  makeFixed?: boolean;
  /** Re-authentication and battery-capacity flows: the vehicle concerned. */
  vehicleId: string | null;
  lang: Lang | null;
  step: Step;
  /** sha256 of the secret in this flow's browser-binding cookie. */
  bindingHash: string;
  accountId: string | null;
  vehicles: FlowVehicle[];
  /** Battery-capacity flow: the choices offered, in kWh. */
  capacities: number[];
  error: { statusCode: number; message: string } | null;
  /**
   * Sign-in on the brand's own page (OAuth brands): the state sent there and the PKCE verifier
   * for its return, kept server-side; `failed` when the last attempt did not complete.
   */
  oem?: { state: string; verifier: string; failed: boolean } | null;
  /**
   * API v3 Connect (`application_id`, `external_id` or `response_type=none`): the redirect also
   * carries `user_id` (and `external_id`); with `none` no authorization code is issued.
   */
  v3?: { responseType: 'code' | 'none'; externalId: string | null } | null;
}

export interface Flow {
  id: string;
  /** The CSRF token of this flow's forms, derived from the browser's binding secret ('' when the browser holds none). */
  csrf: string;
  /** sha256 of the CSRF token: all storage keeps of it. */
  csrfHash: string;
  data: FlowData;
}

/** How often a server process removes expired flows (abandoned Connect attempts). */
export const FLOW_PURGE_EVERY_MS = 60 * 1000;

/** A flow's CSRF token: an HMAC of the flow id under the secret only the flow's browser holds. */
export const csrfTokenOf = (binding: string, flowId: string): string => hmacSha256Hex(binding, `csrf:${flowId}`);

export type NewFlowData = Omit<FlowData, 'bindingHash' | 'accountId' | 'vehicles' | 'capacities' | 'lang' | 'error'> & Partial<Pick<FlowData, 'error' | 'capacities'>>;

/** Connect flows in storage: any server process can continue a flow another one started. */
export class FlowStore {
  private purgedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly repo: OAuthRepo, private readonly clock: Clock) {}

  /**
   * Creates a flow; returns it with the binding secret the browser must hold in a cookie. Neither the
   * binding secret nor the CSRF token is stored, only their hashes. Expired flows are removed here,
   * at most once a minute per process.
   */
  async create(data: NewFlowData): Promise<{ flow: Flow; binding: string }> {
    const now = this.clock.now();
    const binding = randomToken(24);
    const full: FlowData = { lang: null, accountId: null, vehicles: [], capacities: [], error: null, ...data, bindingHash: sha256(binding) };
    const id = uuid();
    const csrf = csrfTokenOf(binding, id);
    const flow: Flow = { id, csrf, csrfHash: sha256(csrf), data: full };
    await this.repo.createFlow({ id, app_id: data.clientId, data: JSON.stringify(full), csrf_hash: flow.csrfHash, created_at: now, expires_at: now + FLOW_TTL_MS });
    if (now - this.purgedAt >= FLOW_PURGE_EVERY_MS) {
      this.purgedAt = now;
      await this.repo.deleteExpiredFlows(now);
    }
    return { flow, binding };
  }

  /** The unexpired flow with this id; `binding` (the browser's cookie value) yields its CSRF token. */
  async load(id: string, binding: string | undefined): Promise<Flow | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const row = await this.repo.getFlow(id);
    if (!row || Number(row.expires_at) <= this.clock.now()) return undefined;
    return { id: row.id, csrf: binding ? csrfTokenOf(binding, row.id) : '', csrfHash: row.csrf_hash, data: JSON.parse(row.data) as FlowData };
  }

  async save(flow: Flow): Promise<void> {
    await this.repo.updateFlowData(flow.id, JSON.stringify(flow.data));
  }

  async end(flow: Flow): Promise<void> {
    await this.repo.deleteFlow(flow.id);
  }
}
