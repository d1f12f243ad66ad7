import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Store } from '../../store/index.ts';
import { verifyPassword } from '../password.ts';
import { escapeHtml } from './escape-html.ts';

/**
 * Who signs users in. The local user store is one implementation; an upstream identity
 * provider (OIDC federation, SAML bridge) is another behind the same two-method contract.
 */
export interface UserAuthenticator {
  /** The account id for valid credentials; undefined otherwise (never says which part was wrong). */
  authenticate(username: string, password: string): Promise<string | undefined>;
}

export function createLocalAuthenticator(store: Pick<Store, 'oauth'>): UserAuthenticator {
  // Verifying against a fixed hash for unknown users keeps the answer time the same.
  const decoy = `scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(86)}`;
  return {
    async authenticate(username, password) {
      const user = await store.oauth.getUser(username);
      const ok = await verifyPassword(password, user?.passwordHash ?? decoy);
      return ok && user !== undefined && user.disabledAt === null ? user.username : undefined;
    },
  };
}

const MAX_FORM_BYTES = 16_384;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  });
  res.end(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      `<body style="font-family:sans-serif;max-width:28rem;margin:3rem auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

/**
 * The login and consent pages at `<base>/interaction/<uid>` (GET shows, POST submits). Forms
 * post back to the same URL with `action=login|consent|deny`; oidc-provider's interaction
 * cookie ties them to the authorization request, so no extra CSRF token is needed.
 */
export async function handleInteraction(
  provider: Provider,
  authenticator: UserAuthenticator,
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const action = url.replace(/\?.*$/, '');
  if (req.method === 'GET') {
    if (details.prompt.name === 'login') {
      page(res, 200, 'Sign in', loginForm(action, ''));
      return;
    }
    const scopes = String(details.params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    const resource = String(details.params.resource ?? '');
    page(
      res,
      200,
      'Allow access?',
      `<p>Application <b>${escapeHtml(String(details.params.client_id))}</b> asks for: ${scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ') || '(no scopes)'}${resource === '' ? '' : ` on <code>${escapeHtml(resource)}</code>`}.</p>` +
        `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="action" value="consent"><button>Allow</button></form>` +
        `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="action" value="deny"><button>Deny</button></form>`,
    );
    return;
  }
  const form = await readForm(req);
  const submitted = form.get('action');
  if (submitted === 'login') {
    const accountId = await authenticator.authenticate(
      form.get('username') ?? '',
      form.get('password') ?? '',
    );
    if (accountId === undefined) {
      page(res, 401, 'Sign in', loginForm(action, 'Wrong user name or password.'));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (submitted === 'deny') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user denied access' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const accountId = details.session?.accountId;
  if (accountId === undefined) {
    page(res, 400, 'Sign in first', '<p>The session has no signed-in user.</p>');
    return;
  }
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  const scope = String(details.params.scope ?? '');
  const oidcScopes = scope.split(' ').filter((s) => s === 'openid' || s === 'offline_access');
  if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
  const resource = details.params.resource;
  const resourceScopes = scope
    .split(' ')
    .filter((s) => s !== '' && s !== 'openid' && s !== 'offline_access')
    .join(' ');
  for (const target of Array.isArray(resource) ? resource : resource === undefined ? [] : [resource]) {
    grant.addResourceScope(String(target), resourceScopes);
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function loginForm(action: string, error: string): string {
  return (
    (error === '' ? '' : `<p role="alert" style="color:#b00">${escapeHtml(error)}</p>`) +
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="action" value="login">` +
    '<p><label>User name <input name="username" autocomplete="username" required></label></p>' +
    '<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>' +
    '<button>Sign in</button></form>'
  );
}
