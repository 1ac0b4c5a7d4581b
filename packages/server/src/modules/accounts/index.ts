import { registerNodeFinder } from '../node/node.service.js';
import { AccountsResolver } from './accounts.resolver.js';
import { PersonalAccessTokensResolver } from './personal-access-tokens.resolver.js';
import { findPersonalAccessToken } from './personal-access-tokens.service.js';

registerNodeFinder('pat', findPersonalAccessToken);

export const accountsResolvers: Function[] = [AccountsResolver, PersonalAccessTokensResolver];
