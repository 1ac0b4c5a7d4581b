import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import { Project } from './projects.entity.js';

@InputType({ description: 'A new project of an organization.' })
export class CreateProjectInput {
  @Field(() => ID, { description: 'The organization; you must be one of its admins.' })
  organizationId!: string;

  @Field({ description: '1 to 50 characters.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'What the project is for, at most 2,000 characters; null for none.',
  })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'How its apps will use the APIs, at most 2,000 characters; null for none.',
  })
  useCase?: string | null;
}

@InputType({ description: 'Fields left out are not changed.' })
export class UpdateProjectInput {
  @Field(() => ID, { description: 'The project to change.' })
  projectId!: string;

  @Field(() => String, { nullable: true, description: 'A new name, 1 to 50 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  useCase?: string | null;
}

@InputType({ description: 'The project to delete.' })
export class DeleteProjectInput {
  @Field(() => ID, { description: 'The project; it must hold no live app.' })
  projectId!: string;
}

@ObjectType({ description: 'The result of `createProject`.' })
export class CreateProjectPayload {
  @Field(() => Project, { description: 'The new project.' })
  project!: Project;
}

@ObjectType({ description: 'The result of `updateProject`.' })
export class UpdateProjectPayload {
  @Field(() => Project, { description: 'The project as it is now.' })
  project!: Project;
}

@ObjectType({ description: 'The result of `deleteProject`.' })
export class DeleteProjectPayload {
  @Field(() => ID, { description: 'The id of the deleted project.' })
  deletedProjectId!: string;
}

/** A page of an organization's projects, oldest first. */
export const ProjectConnection = ConnectionType(Project, 'Project');
export type ProjectConnection = InstanceType<typeof ProjectConnection>;
