export { openSecret, sealSecret } from './envelope.ts';
export { kekIdOf, type ParseKekOptions, parseKek } from './kek.ts';
export { loadOrCreateKekFile } from './kek-file.ts';
export { createRedactor, MIN_REDACTED_LENGTH, REDACTED, type Redactor } from './redactor.ts';
export { assertSecretName } from './secret-name.ts';
export { createVault, type Vault, type VaultOptions } from './vault.ts';
