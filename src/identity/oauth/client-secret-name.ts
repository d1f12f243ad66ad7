/** Where a registered OAuth client's secret lives in the vault. */
export const clientSecretName = (clientId: string): string =>
  `conflux.oauth.client.${clientId.toLowerCase()}`;
