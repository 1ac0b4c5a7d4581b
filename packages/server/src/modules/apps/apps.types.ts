import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import { App, PermissionLevel } from './apps.entity.js';

@ObjectType('CustomAttribute', {
  description: 'A key/value pair the app owner attaches to an app.',
})
export class AppAttribute {
  @Field({ description: 'The key: 1 to 64 letters, digits, `_`, `.` or `-`; unique per app.' })
  key!: string;

  @Field({ description: 'The value, at most 1,024 characters.' })
  value!: string;
}

@InputType({ description: 'A key/value pair to attach to an app.' })
export class CustomAttributeInput {
  @Field({ description: '1 to 64 characters: letters, digits, `_`, `.`, `-`; unique per app.' })
  key!: string;

  @Field({ description: 'At most 1024 characters.' })
  value!: string;
}

/**
 * The fields of an app's profile that CreateAppInput and UpdateAppInput take alike. Each input
 * class declares its other fields itself, as their nullability and descriptions differ. No
 * operation takes this type itself, so the schema has only the two inputs that extend it.
 */
@InputType()
abstract class AppProfileInput {
  @Field(() => String, {
    nullable: true,
    description: 'What the app does, at most 2,000 characters; null or empty for none.',
  })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The app's website: an http(s) URL of at most 2,048 characters; null for none.",
  })
  websiteUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The app's terms of service: an http(s) URL; null for none.",
  })
  termsOfServiceUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The app's privacy policy: an http(s) URL; null for none.",
  })
  privacyPolicyUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The company behind the app, at most 200 characters; null for none.',
  })
  organizationName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The website of the company behind the app: an http(s) URL; null for none.',
  })
  organizationUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'How the app will use the APIs, at most 2,000 characters; null or empty for none.',
  })
  useCase?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The app's icon: an http(s) URL; null for none.",
  })
  iconUrl?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the app signs users in with 3-legged OAuth; false when left out on creation.',
  })
  threeLeggedOAuth?: boolean | null;
}

@InputType({ description: 'A new app of an organization.' })
export class CreateAppInput extends AppProfileInput {
  @Field(() => ID, { description: 'The organization the app belongs to; you must be a member.' })
  organizationId!: string;

  @Field(() => ID, { nullable: true, description: 'Leave out for a standalone app.' })
  projectId?: string | null;

  @Field({ description: '1 to 50 characters, unique among the live apps of the organization.' })
  name!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'At most 10; https, or http for localhost and 127.0.0.1 only.',
  })
  callbackUrls?: string[] | null;

  @Field(() => PermissionLevel, { nullable: true, description: 'READ when left out.' })
  permissionLevel?: PermissionLevel | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Needs termsOfServiceUrl and privacyPolicyUrl.',
  })
  requestEmail?: boolean | null;

  @Field(() => [CustomAttributeInput], { nullable: true, description: 'At most 20.' })
  attributes?: CustomAttributeInput[] | null;

  @Field(() => [ID], {
    nullable: true,
    description:
      'Products to request at once (at most 20). The app is ACTIVE when every one is approved at once (or none is asked), PENDING until staff decide otherwise.',
  })
  productIds?: string[] | null;
}

@InputType({
  description:
    'Fields left out are not changed; null clears a URL, text or list field. ' +
    'projectId: null makes the app standalone.',
})
export class UpdateAppInput extends AppProfileInput {
  @Field(() => ID, { description: 'The app to change.' })
  appId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Move the app to this project of its organization; null makes it standalone.',
  })
  projectId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A new name: 1 to 50 characters, unique among the live apps of the organization.',
  })
  name?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Replaces every callback URL: at most 10; https, or http for localhost and 127.0.0.1.',
  })
  callbackUrls?: string[] | null;

  @Field(() => PermissionLevel, { nullable: true, description: 'What the app may do.' })
  permissionLevel?: PermissionLevel | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Request the email address of users who sign in; needs terms of service and privacy policy URLs.',
  })
  requestEmail?: boolean | null;

  @Field(() => [CustomAttributeInput], { nullable: true, description: 'Replaces every attribute.' })
  attributes?: CustomAttributeInput[] | null;
}

@InputType({ description: 'The app to delete, and why.' })
export class DeleteAppInput {
  @Field(() => ID, { description: 'The app to delete.' })
  appId!: string;

  @Field({ description: 'Why the app is deleted (1 to 500 characters); kept in the audit log.' })
  reason!: string;
}

@ObjectType({ description: 'The result of `createApp`.' })
export class CreateAppPayload {
  @Field(() => App, {
    description: 'The new app: ACTIVE, or PENDING while a product request waits for staff.',
  })
  app!: App;
}

@ObjectType({ description: 'The result of `updateApp`.' })
export class UpdateAppPayload {
  @Field(() => App, { description: 'The app as it is now.' })
  app!: App;
}

@ObjectType({ description: 'The result of `deleteApp`.' })
export class DeleteAppPayload {
  @Field(() => ID, {
    description: 'The id of the deleted app; `node` and `app` no longer find it.',
  })
  deletedAppId!: string;
}

@InputType({ description: 'The app to suspend, and why.' })
export class SuspendAppInput {
  @Field(() => ID, { description: 'The live app to suspend.' })
  appId!: string;

  @Field({
    description: 'Why (3 to 500 characters); shown to the app owner and kept in the audit log.',
  })
  reason!: string;
}

@InputType({ description: 'The suspended app to restore.' })
export class UnsuspendAppInput {
  @Field(() => ID, { description: 'The suspended app.' })
  appId!: string;
}

@ObjectType({ description: 'The result of `suspendApp`.' })
export class SuspendAppPayload {
  @Field(() => App, { description: 'The app, now SUSPENDED.' })
  app!: App;
}

@ObjectType({ description: 'The result of `unsuspendApp`.' })
export class UnsuspendAppPayload {
  @Field(() => App, { description: 'The app, with the status its product grants give it.' })
  app!: App;
}

/** A page of live apps, oldest first. */
export const AppConnection = ConnectionType(App, 'App');
export type AppConnection = InstanceType<typeof AppConnection>;
