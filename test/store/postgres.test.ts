import { describeStoreContract } from './store-contract.ts';
import { makePostgresTarget, skipPostgres } from './targets.ts';

describeStoreContract('postgres', makePostgresTarget, skipPostgres);
