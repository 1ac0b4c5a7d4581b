import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { PageArgs } from '../../graphql/connection.js';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { User } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';
import { Project } from '../projects/projects.entity.js';
import { App, AppStatus } from './apps.entity.js';
import {
  appsOfOrganization,
  appsOfProject,
  appsPage,
  findApp,
  organizationOfApp,
  ownerOfApp,
  projectOfApp,
  standaloneAppsOfOrganization,
  updateApp,
} from './apps.service.js';
import { viewerCanManageApp } from './apps.access.js';
import { withAppFields, withAppPageFields } from './apps.prefetch.js';
import { AppAttribute, AppConnection, UpdateAppInput, UpdateAppPayload } from './apps.types.js';

@Resolver(() => App)
export class AppResolver {
  @Access('SIGNED_IN')
  @Query(() => App, {
    nullable: true,
    description: 'A live app of an organization you belong to (NOT_FOUND otherwise).',
  })
  async app(
    @Arg('id', () => ID, { description: "The app's id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<App> {
    return findApp(ctx, id);
  }

  @Access('SIGNED_IN')
  @Mutation(() => UpdateAppPayload, { description: 'The app owner or an organization admin.' })
  async updateApp(
    @Arg('input', { description: 'The app and the fields to change.' }) input: UpdateAppInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateAppPayload> {
    return { app: await updateApp(ctx, input) };
  }

  @FieldResolver(() => [AppAttribute], {
    description: 'Key/value pairs the app owner attached to the app (at most 20).',
  })
  attributes(@Root() app: App): AppAttribute[] {
    return app.attributes.map(({ key, value }) => ({ key, value }));
  }

  @FieldResolver(() => User, {
    description:
      'The member who owns the app: who created it, or the admin it passed to when its owner left.',
  })
  owner(@Root() app: App, @Ctx() ctx: Context): User | Promise<User> {
    return ownerOfApp(ctx, app);
  }

  @FieldResolver(() => Project, { nullable: true, description: 'null for a standalone app.' })
  project(@Root() app: App, @Ctx() ctx: Context): Project | null | Promise<Project | null> {
    return projectOfApp(ctx, app);
  }

  @FieldResolver(() => Organization, { description: 'The organization the app belongs to.' })
  async organization(@Root() app: App, @Ctx() ctx: Context): Promise<Organization> {
    return organizationOfApp(ctx, app);
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether you may change this app: you own it, or you are an admin of its organization.',
  })
  viewerCanManage(@Root() app: App, @Ctx() ctx: Context): boolean | Promise<boolean> {
    return viewerCanManageApp(ctx, app);
  }
}

@Resolver(() => Project)
export class ProjectAppsResolver {
  @FieldResolver(() => [App], {
    description: 'Live apps of the project, oldest first.',
    deprecationReason: 'Use appsConnection: a page at a time, with totalCount.',
  })
  async apps(
    @Root() project: Project,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<App[]> {
    return withAppFields(ctx, await appsOfProject(ctx, project), info);
  }

  @FieldResolver(() => AppConnection, {
    description: 'Live apps of the project, oldest first, a page at a time, with their total.',
  })
  async appsConnection(
    @Root() project: Project,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AppConnection> {
    return withAppPageFields(
      ctx,
      await appsPage(ctx, project.organization.id, project, page),
      info,
    );
  }
}

@Resolver(() => Organization)
export class OrganizationAppsResolver {
  @FieldResolver(() => [App], {
    description: 'Every live app of the organization, oldest first.',
    deprecationReason: 'Use appsConnection: a page at a time, with totalCount.',
  })
  async apps(
    @Root() organization: Organization,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<App[]> {
    return withAppFields(ctx, await appsOfOrganization(ctx, organization.id), info);
  }

  @FieldResolver(() => AppConnection, {
    description:
      'Every live app of the organization, oldest first, a page at a time, with their total.',
  })
  async appsConnection(
    @Root() organization: Organization,
    @Arg('status', () => AppStatus, {
      nullable: true,
      description: 'Only the apps in this status.',
    })
    status: AppStatus | null,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AppConnection> {
    return withAppPageFields(ctx, await appsPage(ctx, organization.id, 'all', page, status), info);
  }

  @FieldResolver(() => [App], {
    description: 'Live apps in no project, oldest first.',
    deprecationReason: 'Use standaloneAppsConnection: a page at a time, with totalCount.',
  })
  async standaloneApps(
    @Root() organization: Organization,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<App[]> {
    return withAppFields(ctx, await standaloneAppsOfOrganization(ctx, organization.id), info);
  }

  @FieldResolver(() => AppConnection, {
    description: 'Live apps in no project, oldest first, a page at a time, with their total.',
  })
  async standaloneAppsConnection(
    @Root() organization: Organization,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AppConnection> {
    return withAppPageFields(ctx, await appsPage(ctx, organization.id, null, page), info);
  }
}
