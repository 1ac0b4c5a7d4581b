import type { AppQuery } from '../../gql/graphql';

/** The app as the settings page loads it. */
export type SettingsApp = NonNullable<AppQuery['app']>;
