import { registerNodeFinder } from '../../graphql/node.service.js';
import { AccountsResolver } from './accounts.resolver.js';
import {
  PersonalAccessTokenFieldsResolver,
  PersonalAccessTokensResolver,
} from './personal-access-tokens.resolver.js';
import { findPersonalAccessToken } from './personal-access-tokens.service.js';

registerNodeFinder('usr', async (ctx, id) => (ctx.viewer?.user.id === id ? ctx.viewer.user : null));
registerNodeFinder('pat', findPersonalAccessToken);

export const accountsResolvers: Function[] = [
  AccountsResolver,
  PersonalAccessTokensResolver,
  PersonalAccessTokenFieldsResolver,
];
