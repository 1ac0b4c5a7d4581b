import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import { App, PermissionLevel } from './apps.entity.js';

@ObjectType('CustomAttribute', {
  description: 'A key/value pair the app owner attaches to an app.',
})
export class AppAttribute {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@InputType()
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
  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  websiteUrl?: string | null;

  @Field(() => String, { nullable: true })
  termsOfServiceUrl?: string | null;

  @Field(() => String, { nullable: true })
  privacyPolicyUrl?: string | null;

  @Field(() => String, { nullable: true })
  organizationName?: string | null;

  @Field(() => String, { nullable: true })
  organizationUrl?: string | null;

  @Field(() => String, { nullable: true })
  useCase?: string | null;

  @Field(() => String, { nullable: true })
  iconUrl?: string | null;

  @Field(() => Boolean, { nullable: true })
  threeLeggedOAuth?: boolean | null;
}

@InputType()
export class CreateAppInput extends AppProfileInput {
  @Field(() => ID)
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
  @Field(() => ID)
  appId!: string;

  @Field(() => ID, { nullable: true })
  projectId?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [String], { nullable: true })
  callbackUrls?: string[] | null;

  @Field(() => PermissionLevel, { nullable: true })
  permissionLevel?: PermissionLevel | null;

  @Field(() => Boolean, { nullable: true })
  requestEmail?: boolean | null;

  @Field(() => [CustomAttributeInput], { nullable: true, description: 'Replaces every attribute.' })
  attributes?: CustomAttributeInput[] | null;
}

@InputType()
export class DeleteAppInput {
  @Field(() => ID)
  appId!: string;

  @Field({ description: 'Why the app is deleted (1 to 500 characters); kept in the audit log.' })
  reason!: string;
}

@ObjectType()
export class CreateAppPayload {
  @Field(() => App)
  app!: App;
}

@ObjectType()
export class UpdateAppPayload {
  @Field(() => App)
  app!: App;
}

@ObjectType()
export class DeleteAppPayload {
  @Field(() => ID)
  deletedAppId!: string;
}

@InputType()
export class SuspendAppInput {
  @Field(() => ID)
  appId!: string;

  @Field({
    description: 'Why (3 to 500 characters); shown to the app owner and kept in the audit log.',
  })
  reason!: string;
}

@InputType()
export class UnsuspendAppInput {
  @Field(() => ID)
  appId!: string;
}

@ObjectType()
export class SuspendAppPayload {
  @Field(() => App)
  app!: App;
}

@ObjectType()
export class UnsuspendAppPayload {
  @Field(() => App)
  app!: App;
}

/** A page of live apps, oldest first. */
export const AppConnection = ConnectionType(App, 'App');
export type AppConnection = InstanceType<typeof AppConnection>;
