export const auditResolvers: Function[] = [];
