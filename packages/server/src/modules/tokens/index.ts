import { FineGrainedTokensResolver, OrganizationTokensResolver } from './tokens.resolver.js';

export const tokensResolvers: Function[] = [FineGrainedTokensResolver, OrganizationTokensResolver];
