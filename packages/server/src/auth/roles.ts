import { registerEnumType } from 'type-graphql';

/** A user's role on the whole platform: developers (API consumers) and the portal's staff. */
export enum PlatformRole {
  DEVELOPER = 'DEVELOPER',
  STAFF = 'STAFF',
}
registerEnumType(PlatformRole, {
  name: 'PlatformRole',
  description: 'Role on the platform.',
  valuesConfig: {
    DEVELOPER: { description: 'A developer: uses the portal to build on the APIs.' },
    STAFF: { description: "The portal's staff: reviews requests and runs the platform." },
  },
});

export enum PatScope {
  READ = 'READ',
  WRITE = 'WRITE',
}
registerEnumType(PatScope, {
  name: 'PatScope',
  description: 'READ allows queries and subscriptions; WRITE allows mutations.',
  valuesConfig: {
    READ: { description: 'Queries and subscriptions.' },
    WRITE: { description: 'Mutations.' },
  },
});
