import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection.js';
import { Project } from './projects.entity.js';

@InputType()
export class CreateProjectInput {
  @Field(() => ID)
  organizationId!: string;

  @Field({ description: '1 to 50 characters.' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  useCase?: string | null;
}

@InputType({ description: 'Fields left out are not changed.' })
export class UpdateProjectInput {
  @Field(() => ID)
  projectId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  useCase?: string | null;
}

@InputType()
export class DeleteProjectInput {
  @Field(() => ID)
  projectId!: string;
}

@ObjectType()
export class CreateProjectPayload {
  @Field(() => Project)
  project!: Project;
}

@ObjectType()
export class UpdateProjectPayload {
  @Field(() => Project)
  project!: Project;
}

@ObjectType()
export class DeleteProjectPayload {
  @Field(() => ID)
  deletedProjectId!: string;
}

/** A page of an organization's projects, oldest first. */
export const ProjectConnection = ConnectionType(Project, 'Project');
export type ProjectConnection = InstanceType<typeof ProjectConnection>;
