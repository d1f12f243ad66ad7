import { ConfluxError } from '../errors/index.ts';
import type { ConsumerRecord } from '../store/index.ts';
import type { ApiKeyService } from './api-key-service.ts';
import type { ConsumerService } from './consumer-service.ts';
import type { OAuthServer } from './oauth/oauth-server.ts';

export type PartnerCredential = 'apiKey' | 'clientCredentials';

export interface PartnerRequest {
  readonly name: string;
  readonly description?: string;
  readonly contact?: ConsumerRecord['contact'];
  /** Exactly the APIs the partner may call (at least one). */
  readonly apis: readonly string[];
  readonly plan?: string | null;
  /** Exactly the scopes its credentials carry. */
  readonly scopes?: readonly string[];
  /** Default: an API key. */
  readonly credentials?: readonly PartnerCredential[];
  /** Resource indicators of the OAuth client; default `urn:conflux:api:<api>` per API. */
  readonly audiences?: readonly string[];
  readonly keyExpiresAt?: number | null;
}

/** What onboarding hands over, once: secrets are not stored in a readable form anywhere. */
export interface OnboardedPartner {
  readonly consumer: ConsumerRecord;
  readonly apiKey?: { readonly key: string; readonly id: string; readonly prefix: string };
  readonly oauthClient?: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly audiences: readonly string[];
  };
}

/**
 * Partner onboarding, the same for the admin API and the CLI: a partner consumer with exactly
 * the APIs and scopes named, and its credentials. All or nothing: when a credential cannot be
 * issued, the consumer and whatever was issued for it are removed again.
 */
export async function onboardPartner(
  services: { consumers: ConsumerService; keys: ApiKeyService; oauth: OAuthServer },
  request: PartnerRequest,
): Promise<OnboardedPartner> {
  if (request.apis.length === 0) {
    throw new ConfluxError(
      'HTTP_BAD_REQUEST',
      'A partner needs at least one API it may call; name it (e.g. apis: ["partner"]).',
    );
  }
  const scopes = [...(request.scopes ?? [])];
  const wanted = request.credentials ?? ['apiKey'];
  const consumer = await services.consumers.create({
    name: request.name,
    type: 'partner',
    description: request.description ?? '',
    contact: request.contact ?? {},
    apis: [...request.apis],
    plan: request.plan ?? null,
    scopes,
  });
  try {
    let apiKey: OnboardedPartner['apiKey'];
    let oauthClient: OnboardedPartner['oauthClient'];
    if (wanted.includes('apiKey')) {
      const issued = await services.keys.create({
        consumer: consumer.name,
        name: `${consumer.name} partner key`,
        scopes,
        expiresAt: request.keyExpiresAt ?? null,
      });
      apiKey = { key: issued.key, id: issued.record.id, prefix: issued.record.prefix };
    }
    if (wanted.includes('clientCredentials')) {
      const audiences = request.audiences ?? request.apis.map((api) => `urn:conflux:api:${api}`);
      const client = await services.oauth.registerClient({
        consumer: consumer.name,
        name: consumer.name,
        grantTypes: ['client_credentials'],
        redirectUris: [],
        scopes,
        audiences,
      });
      oauthClient = { clientId: client.record.id, clientSecret: client.secret, audiences };
    }
    return {
      consumer,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(oauthClient === undefined ? {} : { oauthClient }),
    };
  } catch (error) {
    // The client is registered last, so only a key can exist here: deleting the consumer
    // revokes it.
    await services.consumers.delete(consumer.name);
    throw error;
  }
}
