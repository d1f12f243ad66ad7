import type { Command } from 'commander';
import { onboardPartner, type PartnerCredential, presentConsumer } from '../../identity/index.ts';
import { withIdentity } from '../identity-core.ts';
import { badOption, checkName, contact, durationMs, list, names, scopes } from '../identity-options.ts';
import type { Output } from '../output.ts';

const CREDENTIALS: Readonly<Record<string, PartnerCredential>> = {
  'api-key': 'apiKey',
  'client-credentials': 'clientCredentials',
};

interface OnboardOptions {
  apis: string;
  scopes?: string;
  plan?: string;
  credentials: string;
  audiences?: string;
  keyExpiresIn?: string;
  description?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  project?: string;
  json?: boolean;
}

export function registerPartner(program: Command, output: (json: boolean) => Output): void {
  const partner = program.command('partner').description('Onboard partners (offline, on the project store)');
  partner
    .command('onboard')
    .description(
      'Create a partner consumer with exactly the APIs and scopes named, and print its credentials (shown once)',
    )
    .argument('<name>', 'partner (consumer) name')
    .requiredOption('--apis <list>', 'comma-separated APIs it may call, nothing else')
    .option('--scopes <list>', 'comma-separated scopes its credentials carry, nothing else')
    .option('--plan <name>', 'its plan')
    .option('--credentials <list>', 'api-key and/or client-credentials', 'api-key')
    .option('--audiences <list>', 'OAuth resource indicators (default urn:conflux:api:<api> per API)')
    .option('--key-expires-in <duration>', 'API key lifetime such as 90d')
    .option('--description <text>', 'who the partner is')
    .option('--contact-name <name>', 'who to reach')
    .option('--contact-email <email>', 'their e-mail address')
    .option('--contact-phone <phone>', 'their phone number')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: OnboardOptions) => {
      const out = output(options.json === true);
      const credentials = list(options.credentials).map((credential) => {
        const known = CREDENTIALS[credential];
        if (known === undefined)
          throw badOption('credentials', credential, 'api-key and/or client-credentials');
        return known;
      });
      const audiences = options.audiences === undefined ? undefined : list(options.audiences);
      for (const audience of audiences ?? [])
        if (!URL.canParse(audience))
          throw badOption('audiences', audience, 'absolute URIs, e.g. urn:conflux:api:partner');
      const reached = contact(options);
      const onboarded = await withIdentity(options.project, async (identity) => {
        const result = await onboardPartner(
          { consumers: identity.consumers, keys: identity.core.keys, oauth: identity.oauth },
          {
            name: checkName('name', name),
            apis: names('apis', options.apis),
            credentials,
            ...(options.scopes === undefined ? {} : { scopes: scopes(options.scopes) }),
            ...(options.plan === undefined ? {} : { plan: checkName('plan', options.plan) }),
            ...(audiences === undefined ? {} : { audiences }),
            ...(options.keyExpiresIn === undefined
              ? {}
              : { keyExpiresAt: Date.now() + durationMs('key-expires-in', options.keyExpiresIn) }),
            ...(options.description === undefined ? {} : { description: options.description }),
            ...(reached === undefined ? {} : { contact: reached }),
          },
        );
        // The audit trail gets the record; its redaction keeps the key and secret out.
        await identity.record({
          action: 'partner.onboard',
          subject: `consumer:${result.consumer.name}`,
          status: 201,
          after: result,
        });
        return result;
      });
      out.result({ ...onboarded, consumer: presentConsumer(onboarded.consumer) });
      const consumer = onboarded.consumer;
      out.line(
        `onboarded partner ${consumer.name}: APIs ${consumer.apis?.join(', ')}; scopes ${consumer.scopes.join(' ') || '-'}`,
      );
      out.line('credentials, shown once — hand them over now:');
      if (onboarded.apiKey !== undefined) {
        out.line(`  API key (id ${onboarded.apiKey.id}):`);
        out.line(`    ${out.paint('green', onboarded.apiKey.key)}`);
      }
      if (onboarded.oauthClient !== undefined) {
        out.line(`  OAuth client id:     ${onboarded.oauthClient.clientId}`);
        out.line(`  OAuth client secret: ${out.paint('green', onboarded.oauthClient.clientSecret)}`);
        out.line(`  token audiences:     ${onboarded.oauthClient.audiences.join(' ')}`);
      }
    });
}
