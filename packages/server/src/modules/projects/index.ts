export const projectsResolvers: Function[] = [];
