import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs } from '../../graphql/connection.js';
import { Access } from '../../auth/access.js';
import type { Context } from '../../context.js';
import { Organization } from '../orgs/orgs.entity.js';
import { Project } from './projects.entity.js';
import {
  createProject,
  deleteProject,
  findProject,
  organizationOfProject,
  projectsOfOrganization,
  projectsPage,
  updateProject,
} from './projects.service.js';
import {
  CreateProjectInput,
  CreateProjectPayload,
  DeleteProjectInput,
  DeleteProjectPayload,
  ProjectConnection,
  UpdateProjectInput,
  UpdateProjectPayload,
} from './projects.types.js';

@Resolver(() => Project)
export class ProjectResolver {
  @Access('SIGNED_IN')
  @Query(() => Project, {
    nullable: true,
    description: 'A project of an organization you belong to (NOT_FOUND otherwise).',
  })
  async project(
    @Arg('id', () => ID, { description: "The project's id." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Project> {
    return findProject(ctx, id);
  }

  @Access('SIGNED_IN')
  @Mutation(() => CreateProjectPayload, { description: 'Organization admins only.' })
  async createProject(
    @Arg('input', { description: 'The organization and the new project.' })
    input: CreateProjectInput,
    @Ctx() ctx: Context,
  ): Promise<CreateProjectPayload> {
    return { project: await createProject(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => UpdateProjectPayload, { description: 'Organization admins only.' })
  async updateProject(
    @Arg('input', { description: 'The project and the fields to change.' })
    input: UpdateProjectInput,
    @Ctx() ctx: Context,
  ): Promise<UpdateProjectPayload> {
    return { project: await updateProject(ctx, input) };
  }

  @Access('SIGNED_IN')
  @Mutation(() => DeleteProjectPayload, {
    description: 'Organization admins only; refused while the project holds apps.',
  })
  async deleteProject(
    @Arg('input', { description: 'The project to delete.' }) input: DeleteProjectInput,
    @Ctx() ctx: Context,
  ): Promise<DeleteProjectPayload> {
    return { deletedProjectId: await deleteProject(ctx, input) };
  }

  @FieldResolver(() => Organization, { description: 'The organization the project belongs to.' })
  async organization(@Root() project: Project, @Ctx() ctx: Context): Promise<Organization> {
    return organizationOfProject(ctx, project);
  }
}

@Resolver(() => Organization)
export class OrganizationProjectsResolver {
  @FieldResolver(() => [Project], {
    description: 'Oldest first.',
    deprecationReason: 'Use projectsConnection: a page at a time, with totalCount.',
  })
  async projects(@Root() organization: Organization, @Ctx() ctx: Context): Promise<Project[]> {
    return projectsOfOrganization(ctx, organization.id);
  }

  @FieldResolver(() => ProjectConnection, {
    description: 'The projects, oldest first, a page at a time, with their total.',
  })
  async projectsConnection(
    @Root() organization: Organization,
    @Args() page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ProjectConnection> {
    return projectsPage(ctx, organization.id, page);
  }
}
