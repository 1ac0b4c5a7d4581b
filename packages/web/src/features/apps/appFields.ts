import type { PermissionLevel } from '../../gql/graphql';

/** The Select value standing for "no project". */
export const STANDALONE = 'standalone';

export const permissionLevels: { value: PermissionLevel; label: string; description: string }[] = [
  { value: 'READ', label: 'Read', description: 'Read data and subscribe to events.' },
  { value: 'READ_WRITE', label: 'Read and write', description: 'Also create, change and delete.' },
  {
    value: 'READ_WRITE_DM',
    label: 'Read, write and direct messages',
    description: 'Also read and send direct messages.',
  },
];

export function isPermissionLevel(value: string | null): value is PermissionLevel {
  return permissionLevels.some((level) => level.value === value);
}

/** Callback URLs are edited one per line. */
export function parseLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Empty optional URL/text fields are sent as null. */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

export function projectOptions(projects: readonly { id: string; name: string }[]) {
  return [
    { value: STANDALONE, label: 'Standalone (no project)' },
    ...projects.map((project) => ({ value: project.id, label: project.name })),
  ];
}
