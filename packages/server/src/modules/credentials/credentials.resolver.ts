import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { loadReference } from '../../db/references.js';
import { User } from '../accounts/accounts.entity.js';
import { App } from '../apps/apps.entity.js';
import { findApp } from '../apps/apps.service.js';
import { Credential, CredentialStatus } from './credentials.entity.js';
import {
  createCredential,
  credentialsOfApp,
  endCredentialGrace,
  regenerateCredential,
  revokeCredential,
  rotateCredential,
} from './credentials.service.js';
import {
  CreateCredentialInput,
  CreateCredentialPayload,
  EndCredentialGraceInput,
  EndCredentialGracePayload,
  RegenerateCredentialInput,
  RegenerateCredentialPayload,
  RevokeCredentialInput,
  RevokeCredentialPayload,
  RotateCredentialInput,
  RotateCredentialPayload,
} from './credentials.types.js';
import { accountLoaders } from '../accounts/accounts.loaders.js';

@Resolver(() => Credential)
export class CredentialResolver {
  @Access('SIGNED_IN')
  @Mutation(() => CreateCredentialPayload, {
    description: 'The app owner or an organization admin; the secret is in this payload only.',
  })
  async createCredential(
    @Arg('input', { description: 'The app and the kind of credential.' })
    input: CreateCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<CreateCredentialPayload> {
    return createCredential(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => RegenerateCredentialPayload, {
    description:
      'Replaces an active credential: the old one stops at once; the new secret is in this payload only.',
  })
  async regenerateCredential(
    @Arg('input', { description: 'The credential to replace.' }) input: RegenerateCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<RegenerateCredentialPayload> {
    return regenerateCredential(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => RevokeCredentialPayload, {
    description: 'Revokes a credential; it stops working at once.',
  })
  async revokeCredential(
    @Arg('input', { description: 'The credential to revoke.' }) input: RevokeCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<RevokeCredentialPayload> {
    return { credential: await revokeCredential(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => RotateCredentialPayload, {
    description:
      'Makes a new credential; the old one keeps working for graceDays (0 to 30). The new secret is in this payload only.',
  })
  async rotateCredential(
    @Arg('input', { description: 'The credential to rotate and its grace period.' })
    input: RotateCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<RotateCredentialPayload> {
    return rotateCredential(ctx, input);
  }

  @Access('SIGNED_IN')
  @Mutation(() => EndCredentialGracePayload, {
    description: 'Ends the grace period of a rotated-out credential: it stops working at once.',
  })
  async endCredentialGrace(
    @Arg('input', { description: 'The rotated-out credential.' }) input: EndCredentialGraceInput,
    @Ctx() ctx: Context,
  ): Promise<EndCredentialGracePayload> {
    return { credential: await endCredentialGrace(ctx, input) };
  }

  @FieldResolver(() => CredentialStatus, { description: 'Whether it works now.' })
  status(@Root() credential: Credential): CredentialStatus {
    return credential.statusAt();
  }

  @FieldResolver(() => App, { description: 'The app the credential belongs to.' })
  async app(@Root() credential: Credential, @Ctx() ctx: Context): Promise<App> {
    return findApp(ctx, credential.app.id);
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'Who made it; null when their account is gone.',
  })
  async createdBy(@Root() credential: Credential, @Ctx() ctx: Context): Promise<User | null> {
    return credential.createdBy
      ? loadReference(credential.createdBy, accountLoaders(ctx).userById)
      : null;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      'Who revoked it; null when it is not revoked, the system did it, or their account is gone.',
  })
  async revokedBy(@Root() credential: Credential, @Ctx() ctx: Context): Promise<User | null> {
    return credential.revokedBy
      ? loadReference(credential.revokedBy, accountLoaders(ctx).userById)
      : null;
  }

  @FieldResolver(() => ID, {
    nullable: true,
    description: 'The credential this one replaced (by rotation or regeneration).',
  })
  rotatedFromId(@Root() credential: Credential): string | null {
    return credential.rotatedFrom?.id ?? null;
  }
}

@Resolver(() => App)
export class AppCredentialsResolver {
  @FieldResolver(() => [Credential], {
    description: 'Every credential of the app, newest first (any member; secrets never shown).',
  })
  credentials(@Root() app: App, @Ctx() ctx: Context): Credential[] | Promise<Credential[]> {
    return credentialsOfApp(ctx, app);
  }
}
