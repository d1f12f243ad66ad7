import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ConfluxError } from '../../errors/index.ts';
import type { WebhookSignature } from '../../project/index.ts';
import type { Store } from '../../store/index.ts';

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface SignedRequest {
  /** Request headers; names are matched case-insensitively. */
  readonly headers: HeaderBag;
  /** The raw body exactly as received: signatures cover bytes, not parsed JSON. */
  readonly body: Buffer;
}

function header(headers: HeaderBag, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : (value as string | undefined);
  }
  return undefined;
}

function invalid(scheme: string, reason: string): ConfluxError {
  return new ConfluxError(
    'ENGINE_WEBHOOK_SIGNATURE_INVALID',
    `Webhook signature (${scheme}) rejected: ${reason}.`,
    {
      details: { scheme, reason },
    },
  );
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function checkAge(scheme: string, seconds: number, toleranceSeconds: number, now: number): void {
  if (!Number.isInteger(seconds)) throw invalid(scheme, 'the timestamp is not a whole number of seconds');
  if (Math.abs(now / 1000 - seconds) > toleranceSeconds) {
    throw invalid(scheme, `the timestamp is more than ${toleranceSeconds} s from now`);
  }
}

/** Standard Webhooks via the reference library (also its 5-minute window), then our own tolerance. */
function verifyStandard(
  request: SignedRequest,
  secret: string,
  toleranceSeconds: number,
  now: number,
): string {
  const headers = {
    'webhook-id': header(request.headers, 'webhook-id') ?? '',
    'webhook-timestamp': header(request.headers, 'webhook-timestamp') ?? '',
    'webhook-signature': header(request.headers, 'webhook-signature') ?? '',
  };
  try {
    new Webhook(secret).verify(request.body.toString('utf8'), headers);
  } catch (error) {
    if (error instanceof WebhookVerificationError)
      throw invalid('standard', error.message.replace(/\.$/, ''));
    throw invalid('standard', 'the secret or the payload could not be read');
  }
  checkAge('standard', Number(headers['webhook-timestamp']), toleranceSeconds, now);
  return headers['webhook-id'];
}

/** Stripe-Signature: `t=<seconds>,v1=<hex hmac of "t.body">[,v1=...]`. */
function verifyStripe(request: SignedRequest, secret: string, toleranceSeconds: number, now: number): string {
  const value = header(request.headers, 'stripe-signature');
  if (value === undefined) throw invalid('stripe', 'the Stripe-Signature header is missing');
  const parts = value.split(',').map((part) => part.trim().split('=', 2) as [string, string?]);
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key]) => key === 'v1').map(([, v]) => v ?? '');
  if (timestamp === undefined || signatures.length === 0)
    throw invalid('stripe', 'the header needs t= and v1=');
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(request.body).digest('hex');
  if (!signatures.some((candidate) => equalText(candidate, expected)))
    throw invalid('stripe', 'no v1 signature matches');
  checkAge('stripe', Number(timestamp), toleranceSeconds, now);
  return `${timestamp}.${expected}`;
}

/** X-Hub-Signature-256: `sha256=<hex hmac of body>`; the delivery id names the replay. */
function verifyGithub(request: SignedRequest, secret: string): string {
  const value = header(request.headers, 'x-hub-signature-256');
  if (value === undefined) throw invalid('github', 'the X-Hub-Signature-256 header is missing');
  const expected = `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`;
  if (!equalText(value, expected)) throw invalid('github', 'the signature does not match');
  return header(request.headers, 'x-github-delivery') ?? expected;
}

/** X-Shopify-Hmac-Sha256: base64 hmac of body; the webhook id names the replay. */
function verifyShopify(request: SignedRequest, secret: string): string {
  const value = header(request.headers, 'x-shopify-hmac-sha256');
  if (value === undefined) throw invalid('shopify', 'the X-Shopify-Hmac-Sha256 header is missing');
  const expected = createHmac('sha256', secret).update(request.body).digest('base64');
  if (!equalText(value, expected)) throw invalid('shopify', 'the signature does not match');
  return header(request.headers, 'x-shopify-webhook-id') ?? expected;
}

/**
 * Checks a webhook's signature under its scheme and returns the id that names this delivery
 * (for replay protection). Throws ENGINE_WEBHOOK_SIGNATURE_INVALID; never echoes the secret.
 */
export function verifySignature(
  signature: Pick<WebhookSignature, 'scheme' | 'toleranceSeconds'>,
  request: SignedRequest,
  secret: string,
  now: number = Date.now(),
): string {
  switch (signature.scheme) {
    case 'standard':
      return verifyStandard(request, secret, signature.toleranceSeconds, now);
    case 'stripe':
      return verifyStripe(request, secret, signature.toleranceSeconds, now);
    case 'github':
      return verifyGithub(request, secret);
    // 'shopify', the last scheme the schema admits
    default:
      return verifyShopify(request, secret);
  }
}

export interface WebhookVerifierDeps {
  readonly store: Store;
  /** Reads a secret from the vault by name; undefined when it does not exist. */
  readonly secret: (name: string) => Promise<string | undefined>;
}

/**
 * The verification a webhook trigger with `signature` runs before its run starts: the
 * signature, then replay protection — a delivery id seen within the tolerance window (kept in
 * the store, so every gateway process shares it) is refused with ENGINE_WEBHOOK_REPLAYED.
 */
export function createWebhookVerifier(deps: WebhookVerifierDeps) {
  return async (path: string, signature: WebhookSignature, request: SignedRequest): Promise<void> => {
    const secret = await deps.secret(signature.secret);
    if (secret === undefined) {
      throw new ConfluxError(
        'ENGINE_WEBHOOK_SECRET_MISSING',
        `The webhook /hooks/${path} names vault secret "${signature.secret}", which does not exist.`,
        {
          details: { path, secret: signature.secret, expected: `conflux secret set ${signature.secret}` },
        },
      );
    }
    const deliveryId = verifySignature(signature, request, secret);
    const now = Date.now();
    // Twice the tolerance: a timestamp may be that far in the future as well as in the past.
    const fresh = await deps.store.engine.claimOnce(
      `webhook:${path}`,
      deliveryId,
      now + 2000 * signature.toleranceSeconds,
      now,
    );
    if (!fresh) {
      throw new ConfluxError(
        'ENGINE_WEBHOOK_REPLAYED',
        `The webhook delivery to /hooks/${path} was already received.`,
        {
          details: { path },
        },
      );
    }
  };
}
