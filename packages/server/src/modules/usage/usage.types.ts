import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum UsagePeriod {
  CURRENT_MONTH = 'CURRENT_MONTH',
  LAST_30_DAYS = 'LAST_30_DAYS',
  LAST_24_HOURS = 'LAST_24_HOURS',
  LAST_120_MINUTES = 'LAST_120_MINUTES',
  LAST_120_DAYS = 'LAST_120_DAYS',
  MONTH = 'MONTH',
}
registerEnumType(UsagePeriod, {
  name: 'UsagePeriod',
  description: 'A window of usage, in UTC. MONTH is the calendar month given as `month`.',
  valuesConfig: {
    CURRENT_MONTH: { description: 'The billing month so far, by day.' },
    LAST_30_DAYS: { description: 'Today and the 29 days before it, by day.' },
    LAST_24_HOURS: { description: 'This hour and the 23 before it, by hour.' },
    LAST_120_MINUTES: { description: 'This minute and the 119 before it, by minute.' },
    LAST_120_DAYS: { description: 'Today and the 119 days before it, by day.' },
    MONTH: { description: 'A whole calendar month (`month: "YYYY-MM"`), by day.' },
  },
});

export enum UsageGranularity {
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(UsageGranularity, {
  name: 'UsageGranularity',
  description: 'The size of the buckets of a usage series.',
  valuesConfig: {
    MINUTE: { description: 'One bucket per minute.' },
    HOUR: { description: 'One bucket per hour.' },
    DAY: { description: 'One bucket per UTC day.' },
  },
});

export enum UsageMetric {
  REQUESTS = 'REQUESTS',
  UNITS = 'UNITS',
}
registerEnumType(UsageMetric, {
  name: 'UsageMetric',
  description: 'What a monthly cap counts: requests, or units (records delivered).',
  valuesConfig: {
    REQUESTS: { description: 'Requests verified by the gateway.' },
    UNITS: { description: 'Units (records) delivered.' },
  },
});

export enum ProjectionConfidence {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}
registerEnumType(ProjectionConfidence, {
  name: 'ProjectionConfidence',
  description:
    'How far to trust a projection: HIGH with two weeks of steady history, MEDIUM with a week of fairly steady history, LOW otherwise.',
  valuesConfig: {
    LOW: { description: 'Less than a week of history, or an unsteady one.' },
    MEDIUM: { description: 'At least a week of fairly steady daily usage.' },
    HIGH: { description: 'At least two weeks of steady daily usage.' },
  },
});

@ArgsType()
export class UsageArgs {
  @Field(() => ID, {
    nullable: true,
    description:
      'Whose usage: an organization, project, app, credential or dev environment id; a product id for that product in every organization (staff); null for every organization (staff).',
  })
  of?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this product.' })
  productId?: string | null;

  @Field(() => UsagePeriod, { description: 'The window of usage to read.' })
  period!: UsagePeriod;

  @Field(() => String, {
    nullable: true,
    description: 'The month of period MONTH, "YYYY-MM" (UTC); ignored for other periods.',
  })
  month?: string | null;
}

@ArgsType()
export class UsageFieldArgs {
  @Field(() => UsagePeriod, { defaultValue: UsagePeriod.CURRENT_MONTH })
  period!: UsagePeriod;

  @Field(() => String, { nullable: true, description: 'The month of period MONTH, "YYYY-MM".' })
  month?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this product.' })
  productId?: string | null;
}

@ObjectType({ description: 'Counts and response times of some usage.' })
export class UsageStats {
  @Field(() => Float, { description: 'Requests verified by the gateway.' })
  requests!: number;

  @Field(() => Float, { description: 'Responses reported by gateways.' })
  responses!: number;

  @Field(() => Float, { description: 'Units (records) delivered.' })
  units!: number;

  @Field(() => Float, { description: 'Responses with a status of 400 or more.' })
  errors!: number;

  @Field(() => Float, { description: 'errors / responses (0 when there are no responses).' })
  errorRate!: number;

  @Field(() => Float, { nullable: true, description: 'ms; null without responses.' })
  responseTimeMin!: number | null;

  @Field(() => Float, { nullable: true, description: 'ms; null without responses.' })
  responseTimeAvg!: number | null;

  @Field(() => Float, { nullable: true, description: 'ms; null without responses.' })
  responseTimeMax!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Median response time in ms, from the latency histogram (within 22.5 %).',
  })
  responseTimeP50!: number | null;

  @Field(() => Float, { nullable: true, description: '95th percentile (ms), within 22.5 %.' })
  responseTimeP95!: number | null;

  @Field(() => Float, { nullable: true, description: '99th percentile (ms), within 22.5 %.' })
  responseTimeP99!: number | null;
}

@ObjectType({ description: 'One bucket of a usage series.' })
export class UsagePoint extends UsageStats {
  @Field({ description: 'Start of the bucket (UTC).' })
  at!: Date;
}

@ObjectType({ description: 'The usage of one app, product, environment or credential.' })
export class UsageGroup extends UsageStats {
  @Field(() => ID, {
    nullable: true,
    description: 'The id of the app, product, environment or credential; null for "none".',
  })
  id!: string | null;

  @Field({
    description:
      'A name to show: app or product name, environment label, credential kind and last four characters; "Deleted app" for a deleted app.',
  })
  label!: string;

  @Field({ description: 'The app (or the credential) was deleted or revoked.' })
  deleted!: boolean;
}

@ObjectType({ description: 'Usage of one product against the monthly cap of its plan.' })
export class UsageCap {
  productId!: string;

  planId!: string | null;

  @Field(() => UsageMetric, { description: 'Whether the cap counts requests or units.' })
  metric!: UsageMetric;

  @Field({ description: 'The billing month, "YYYY-MM" (UTC).' })
  month!: string;

  @Field(() => Float, { description: 'Used in the billing month so far.' })
  used!: number;

  @Field(() => Float, { nullable: true, description: 'The cap; null when unlimited.' })
  cap!: number | null;

  @Field(() => Float, { nullable: true, description: 'used / cap × 100; null when unlimited.' })
  percentage!: number | null;

  @Field(() => Float, { description: 'Projected total at the end of the billing month.' })
  projectedTotal!: number;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the cap is (or was) reached at the current rate; null when unlimited or not reached this month.',
  })
  capReachedAt!: Date | null;

  @Field(() => ProjectionConfidence, {
    description: 'How far to trust `projectedTotal` and `capReachedAt`.',
  })
  projectionConfidence!: ProjectionConfidence;

  @Field(() => [Int], { description: 'Alert thresholds (50, 80, 100) reached this month.' })
  thresholdsReached!: number[];
}

@ObjectType({ description: 'Usage over a period: totals, a series, breakdowns and caps.' })
export class Usage {
  @Field(() => UsagePeriod, { description: 'The window asked for.' })
  period!: UsagePeriod;

  @Field({ description: 'Start of the window (UTC, inclusive).' })
  from!: Date;

  @Field({ description: 'End of the window (UTC, exclusive).' })
  to!: Date;

  @Field(() => UsageGranularity, { description: 'The size of the buckets of `series`.' })
  granularity!: UsageGranularity;

  @Field(() => UsageStats, { description: 'The whole window together.' })
  totals!: UsageStats;

  @Field(() => [UsagePoint], { description: 'One point per bucket of the window, empty ones too.' })
  series!: UsagePoint[];

  /** Whose usage (for the breakdowns and caps computed on demand). */
  scope!: UsageScope;
}

@ObjectType({ description: "The current month's usage of an app or of a grant." })
export class UsageSummary {
  @Field({ description: 'The billing month, "YYYY-MM" (UTC).' })
  month!: string;

  @Field(() => Float, { description: 'Requests verified by the gateway this month.' })
  requests!: number;

  @Field(() => Float, { description: 'Units (records) delivered this month.' })
  units!: number;

  @Field(() => Float, { description: 'Responses with a status of 400 or more this month.' })
  errors!: number;

  @Field(() => Float, { description: 'errors / responses this month (0 without responses).' })
  errorRate!: number;

  @Field(() => Float, { nullable: true, description: 'ms; null without responses.' })
  responseTimeAvg!: number | null;
}

/** What a usage query covers: an organization (or every one) narrowed by the other fields. */
export interface UsageScope {
  /** null: every organization (staff). */
  organizationId: string | null;
  projectId?: string;
  appId?: string;
  credentialId?: string;
  environmentId?: string;
  productId?: string;
  period: UsagePeriod;
  from: Date;
  to: Date;
  granularity: UsageGranularity;
  /** The billing month the caps are about (first instant, UTC). */
  billingMonth: Date;
}
