import { describeStoreContract } from './store-contract.ts';
import { makeSqliteTarget } from './targets.ts';

describeStoreContract('sqlite', makeSqliteTarget);
