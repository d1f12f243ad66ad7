import assert from 'node:assert/strict';
import * as client from 'openid-client';

/** Follows one redirect hop by hand, carrying the provider's cookies like a browser would. */
export class Browser {
  readonly #cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }
}

/**
 * Authorization code + PKCE end to end, headless: openid-client builds the request, a
 * `Browser` signs in and consents on the server's own pages, openid-client redeems the code.
 */
export async function signInAndConsent(
  config: client.Configuration,
  options: {
    issuer: URL;
    redirectUri: string;
    scope: string;
    resource: string;
    username: string;
    password: string;
  },
): Promise<client.TokenEndpointResponse> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: options.scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    resource: options.resource,
  });
  const browser = new Browser();
  const form = (body: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  let response = await browser.go(url.href);
  let callback: string | undefined;
  // Login page, then consent page, then the redirect back: bounded hops.
  for (let hop = 0; hop < 12 && callback === undefined; hop++) {
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location') ?? '', options.issuer).href;
      if (next.startsWith(options.redirectUri)) callback = next;
      else response = await browser.go(next);
      continue;
    }
    const page = await response.text();
    const credentials = `username=${encodeURIComponent(options.username)}&password=${encodeURIComponent(options.password)}`;
    if (/Sign in/.test(page)) response = await browser.go(response.url, form(`action=login&${credentials}`));
    else if (/Allow access/.test(page)) response = await browser.go(response.url, form('action=consent'));
    else assert.fail(`unexpected page ${response.status}: ${page.slice(0, 200)}`);
  }
  assert.ok(callback, 'redirected back to the client');
  return client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
}
