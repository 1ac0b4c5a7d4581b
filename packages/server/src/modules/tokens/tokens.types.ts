import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TokenAccess, TokenArea, TokenPolicy } from '../../auth/token-permissions.js';
import { PersonalAccessToken } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';

@InputType({ description: 'What a fine-grained token may do in one area.' })
export class TokenPermissionInput {
  @Field(() => TokenArea)
  area!: TokenArea;

  @Field(() => TokenAccess)
  level!: TokenAccess;
}

@InputType()
export class CreateFineGrainedPersonalAccessTokenInput {
  @Field()
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The organization the token reaches (you must be a member); null for your own account (your personal organizations, account areas and, for staff, staff areas).',
  })
  organizationId?: string | null;

  @Field(() => [TokenPermissionInput], {
    description: 'At least one area above NONE, each area once; the areas left out are NONE.',
  })
  permissions!: TokenPermissionInput[];

  @Field(() => Int, { description: 'Days until it expires: 1 to 365.' })
  expiresInDays!: number;
}

@ObjectType()
export class CreateFineGrainedPersonalAccessTokenPayload {
  @Field({ description: 'The secret token. It is shown here once and cannot be read again.' })
  token!: string;

  @Field(() => PersonalAccessToken, {
    description: 'PENDING_APPROVAL when its organization requires an admin to approve it.',
  })
  personalAccessToken!: PersonalAccessToken;
}

export enum TokenReviewDecision {
  APPROVE = 'APPROVE',
  REFUSE = 'REFUSE',
}
registerEnumType(TokenReviewDecision, {
  name: 'TokenReviewDecision',
  description:
    'APPROVE a pending token; REFUSE a pending one, or withdraw the access of one that works.',
});

@InputType()
export class ReviewPersonalAccessTokenInput {
  @Field(() => ID)
  tokenId!: string;

  @Field(() => TokenReviewDecision)
  decision!: TokenReviewDecision;

  @Field(() => String, { nullable: true, description: 'Why, shown to the owner (optional).' })
  reason?: string | null;
}

@ObjectType()
export class ReviewPersonalAccessTokenPayload {
  @Field(() => PersonalAccessToken)
  personalAccessToken!: PersonalAccessToken;
}

@InputType()
export class SetOrganizationTokenPolicyInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => TokenPolicy)
  policy!: TokenPolicy;
}

@ObjectType()
export class SetOrganizationTokenPolicyPayload {
  @Field(() => Organization)
  organization!: Organization;
}
