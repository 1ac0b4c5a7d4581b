import { Field, InputType, ObjectType } from 'type-graphql';
import { User } from './accounts.entity.js';

@InputType()
export class SignUpInput {
  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field()
  password!: string;
}

@InputType()
export class SignInInput {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@ObjectType()
export class SignUpPayload {
  @Field(() => User)
  user!: User;
}

@ObjectType()
export class SignInPayload {
  @Field(() => User)
  user!: User;
}

@ObjectType()
export class SignOutPayload {
  @Field()
  signedOut!: boolean;
}
