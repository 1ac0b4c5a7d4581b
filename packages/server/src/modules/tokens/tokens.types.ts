import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TokenAccess, TokenArea, TokenPolicy } from '../../auth/token-permissions.js';
import { PersonalAccessToken } from '../accounts/accounts.entity.js';
import { Organization } from '../orgs/orgs.entity.js';

@InputType({ description: 'What a fine-grained token may do in one area.' })
export class TokenPermissionInput {
  @Field(() => TokenArea, { description: 'The area of the API.' })
  area!: TokenArea;

  @Field(() => TokenAccess, { description: 'What the token may do there.' })
  level!: TokenAccess;
}

@InputType({ description: 'A new fine-grained personal access token.' })
export class CreateFineGrainedPersonalAccessTokenInput {
  @Field({ description: 'What the token is for, 1 to 100 characters.' })
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

@ObjectType({
  description: 'The result of `createFineGrainedPersonalAccessToken`: the token, shown once.',
})
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
  valuesConfig: {
    APPROVE: { description: 'The token works from now on.' },
    REFUSE: { description: 'The token does not work in the organization (any more).' },
  },
});

@InputType({ description: "An organization admin's decision on a member's token." })
export class ReviewPersonalAccessTokenInput {
  @Field(() => ID, { description: 'The fine-grained token bound to your organization.' })
  tokenId!: string;

  @Field(() => TokenReviewDecision, { description: 'Approve or refuse it.' })
  decision!: TokenReviewDecision;

  @Field(() => String, { nullable: true, description: 'Why, shown to the owner (optional).' })
  reason?: string | null;
}

@ObjectType({ description: 'The result of `reviewPersonalAccessToken`.' })
export class ReviewPersonalAccessTokenPayload {
  @Field(() => PersonalAccessToken, { description: 'The token, with its approval now.' })
  personalAccessToken!: PersonalAccessToken;
}

@InputType({ description: "An organization's policy on personal access tokens." })
export class SetOrganizationTokenPolicyInput {
  @Field(() => ID, { description: 'The organization (you are its admin).' })
  organizationId!: string;

  @Field(() => TokenPolicy, { description: 'Allow, require approval, or forbid.' })
  policy!: TokenPolicy;
}

@ObjectType({ description: 'The result of `setOrganizationTokenPolicy`.' })
export class SetOrganizationTokenPolicyPayload {
  @Field(() => Organization, { description: 'The organization, with its new policy.' })
  organization!: Organization;
}
