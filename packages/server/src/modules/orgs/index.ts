export const orgsResolvers: Function[] = [];
