export const appsResolvers: Function[] = [];
