import type { RunningPlatform } from '../../platform/index.ts';
import { loadProject } from '../../project/index.ts';
import { identityOf } from '../identity-core.ts';
import type { Output } from '../output.ts';

export const DEMO_PARTNER = 'demo-partner';

export interface DemoPartner {
  readonly apis: readonly string[];
  readonly scopes: readonly string[];
  readonly oauthClient?: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly audiences: string[];
  };
  readonly apiKey?: string;
}

/**
 * With `--demo-key`: a partner consumer for the project's partner APIs (those not reserved for
 * named partners), so the demo has one to try. It gets exactly those APIs and the scopes they require, and fresh credentials on every
 * start, printed once: an OAuth client (client credentials) when an API takes Conflux's own
 * tokens, an API key (24 h) when one takes keys. The previous start's clients are disabled.
 */
export async function seedDemoPartner(
  platform: RunningPlatform,
  root: string,
): Promise<DemoPartner | undefined> {
  const { project } = await loadProject(root);
  // Partner APIs reserved for named partners (`partners:`) stay theirs.
  const partnerApis = [...(project?.apis.values() ?? [])].filter(
    (api) =>
      api.visibility === 'partner' && (api.partners === undefined || api.partners.includes(DEMO_PARTNER)),
  );
  if (partnerApis.length === 0) return undefined;
  const apis = partnerApis.map((api) => api.name);
  const scopes = [
    ...new Set(
      partnerApis.flatMap((api) =>
        api.auth.type === 'oauth2' || api.auth.type === 'jwt'
          ? [...api.auth.scopes, ...Object.values(api.auth.routeScopes).flat()]
          : [],
      ),
    ),
  ];
  const identity = identityOf(platform.core);
  const existing = await identity.consumers.list();
  if (existing.some((consumer) => consumer.name === DEMO_PARTNER)) {
    // Back to its first state: a plan or a disable tried in a previous run does not linger.
    const changed = await identity.consumers.update(DEMO_PARTNER, {
      type: 'partner',
      apis,
      scopes,
      plan: null,
      disabledAt: null,
    });
    await identity.record({
      action: 'consumer.update',
      subject: `consumer:${DEMO_PARTNER}`,
      status: 200,
      before: changed.before,
      after: changed.after,
    });
  } else {
    const created = await identity.consumers.create({
      name: DEMO_PARTNER,
      type: 'partner',
      description: 'The demo partner created by conflux start --demo-key',
      contact: {},
      apis,
      plan: null,
      scopes,
    });
    await identity.record({
      action: 'consumer.create',
      subject: `consumer:${DEMO_PARTNER}`,
      status: 201,
      after: created,
    });
  }
  let oauthClient: DemoPartner['oauthClient'];
  const audiences = partnerApis.flatMap((api) =>
    api.auth.type === 'oauth2' && api.auth.jwksUri === undefined ? [api.auth.audience] : [],
  );
  if (audiences.length > 0) {
    for (const client of await identity.oauth.listClients())
      if (client.consumer === DEMO_PARTNER && client.disabledAt === null)
        await identity.oauth.disableClient(client.id);
    const { record, secret } = await identity.oauth.registerClient({
      consumer: DEMO_PARTNER,
      name: 'demo partner client',
      grantTypes: ['client_credentials'],
      redirectUris: [],
      scopes,
      audiences,
    });
    await identity.record({
      action: 'oauth-client.create',
      subject: `oauth-client:${record.id}`,
      status: 201,
      after: record,
    });
    oauthClient = { clientId: record.id, clientSecret: secret, audiences };
  }
  let apiKey: string | undefined;
  if (partnerApis.some((api) => api.auth.type === 'apiKey')) {
    const issued = await platform.core.keys.create({
      consumer: DEMO_PARTNER,
      name: 'demo partner key from conflux start',
      scopes,
      expiresAt: Date.now() + 24 * 60 * 60 * 1000,
    });
    apiKey = issued.key;
  }
  return {
    apis,
    scopes,
    ...(oauthClient === undefined ? {} : { oauthClient }),
    ...(apiKey === undefined ? {} : { apiKey }),
  };
}

/** The start banner's lines for the demo partner (its credentials, shown once). */
export function demoPartnerLines(partner: DemoPartner, out: Output): string[] {
  const lines = [
    `  demo partner (consumer "${DEMO_PARTNER}", APIs ${partner.apis.join(', ')}; scopes ${partner.scopes.join(' ') || '-'}):`,
  ];
  if (partner.oauthClient !== undefined) {
    lines.push(`    OAuth client id      ${partner.oauthClient.clientId}`);
    lines.push(`    OAuth client secret  ${out.paint('green', partner.oauthClient.clientSecret)}`);
    lines.push(`    token audiences      ${partner.oauthClient.audiences.join(' ')}`);
  }
  if (partner.apiKey !== undefined)
    lines.push(`    API key (24 h)       ${out.paint('green', partner.apiKey)}`);
  return lines;
}
