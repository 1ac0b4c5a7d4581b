import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122112742 } from './Migration20261122112742.js';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122112742', class: Migration20261122112742 },
];
