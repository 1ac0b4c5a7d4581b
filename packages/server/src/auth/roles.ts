import { registerEnumType } from 'type-graphql';

/** A user's role on the whole platform: developers (API consumers) and the portal's staff. */
export enum PlatformRole {
  DEVELOPER = 'DEVELOPER',
  STAFF = 'STAFF',
}
registerEnumType(PlatformRole, { name: 'PlatformRole', description: 'Role on the platform.' });

export enum PatScope {
  READ = 'READ',
  WRITE = 'WRITE',
}
registerEnumType(PatScope, {
  name: 'PatScope',
  description: 'READ allows queries and subscriptions; WRITE allows mutations.',
});
