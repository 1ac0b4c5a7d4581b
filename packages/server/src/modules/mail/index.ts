export const mailResolvers: Function[] = [];
