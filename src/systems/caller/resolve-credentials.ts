import type { SystemAuth } from '../../project/index.ts';

export interface Credentials {
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}

/**
 * The headers and query parameters that authenticate a call to a system, with secret values
 * fetched by name at call time (so rotated secrets apply without a reload). The result holds
 * secret values: put it on the wire, never in logs or errors.
 */
export async function resolveCredentials(
  auth: SystemAuth,
  resolveSecret: (name: string) => Promise<string>,
): Promise<Credentials> {
  switch (auth.type) {
    case 'none':
      return { headers: {}, query: {} };
    case 'apiKey': {
      const value = await resolveSecret(auth.secret);
      return auth.in === 'header'
        ? { headers: { [auth.name.toLowerCase()]: value }, query: {} }
        : { headers: {}, query: { [auth.name]: value } };
    }
    case 'bearer':
      return { headers: { authorization: `Bearer ${await resolveSecret(auth.secret)}` }, query: {} };
    case 'basic': {
      const token = Buffer.from(`${auth.username}:${await resolveSecret(auth.secret)}`).toString('base64');
      return { headers: { authorization: `Basic ${token}` }, query: {} };
    }
  }
}
