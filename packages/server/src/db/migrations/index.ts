import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122112742 } from './Migration20261122112742.js';
import { Migration20261122125256 } from './Migration20261122125256.js';
import { Migration20261122133154 } from './Migration20261122133154.js';
import { Migration20261122140537 } from './Migration20261122140537.js';
import { Migration20261122143536 } from './Migration20261122143536.js';
import { Migration20261130042517 } from './Migration20261130042517.js';
import { Migration20261130050000 } from './Migration20261130050000.js';
import { Migration20261130051500 } from './Migration20261130051500.js';
import { Migration20261201010000 } from './Migration20261201010000.js';
import { Migration20261201030000 } from './Migration20261201030000.js';
import { Migration20261201060000 } from './Migration20261201060000.js';
import { Migration20261201070000 } from './Migration20261201070000.js';
import { Migration20261201080000 } from './Migration20261201080000.js';
import { Migration20261202010000 } from './Migration20261202010000.js';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122112742', class: Migration20261122112742 },
  { name: 'Migration20261122125256', class: Migration20261122125256 },
  { name: 'Migration20261122133154', class: Migration20261122133154 },
  { name: 'Migration20261122140537', class: Migration20261122140537 },
  { name: 'Migration20261122143536', class: Migration20261122143536 },
  { name: 'Migration20261130042517', class: Migration20261130042517 },
  { name: 'Migration20261130050000', class: Migration20261130050000 },
  { name: 'Migration20261130051500', class: Migration20261130051500 },
  { name: 'Migration20261201010000', class: Migration20261201010000 },
  { name: 'Migration20261201030000', class: Migration20261201030000 },
  { name: 'Migration20261201060000', class: Migration20261201060000 },
  { name: 'Migration20261201070000', class: Migration20261201070000 },
  { name: 'Migration20261201080000', class: Migration20261201080000 },
  { name: 'Migration20261202010000', class: Migration20261202010000 },
];
