import { AccountsResolver } from './accounts.resolver.js';

export const accountsResolvers: Function[] = [AccountsResolver];
