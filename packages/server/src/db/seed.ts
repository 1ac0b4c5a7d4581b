import type { MikroORM } from '@mikro-orm/postgresql';
import { PlatformRole, User } from '../modules/accounts/accounts.entity.js';
import { hashPassword } from '../modules/accounts/accounts.service.js';

export const DEMO_PASSWORD = 'portico-demo-1';

export interface SeedResult {
  password: string;
  accounts: { email: string; label: string }[];
}

const ACCOUNTS = [
  {
    email: 'staff@portico.local',
    name: 'Sam Staff',
    role: PlatformRole.STAFF,
    label: 'portal staff',
  },
  {
    email: 'ada@portico.local',
    name: 'Ada Lovelace',
    role: PlatformRole.DEVELOPER,
    label: 'developer, admin of Analytical Engines',
  },
  {
    email: 'grace@portico.local',
    name: 'Grace Hopper',
    role: PlatformRole.DEVELOPER,
    label: 'developer, member of Analytical Engines',
  },
];

/** Seeds demo data into an empty database; does nothing when users exist. */
export async function seedDemoData(orm: MikroORM): Promise<SeedResult> {
  const result = {
    password: DEMO_PASSWORD,
    accounts: ACCOUNTS.map(({ email, label }) => ({ email, label })),
  };
  const em = orm.em.fork();
  if (await em.count(User, {})) return result;
  await em.transactional(async (tx) => {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const account of ACCOUNTS) {
      const user = new User(account.email, account.name, passwordHash);
      user.platformRole = account.role;
      user.emailVerifiedAt = new Date();
      tx.persist(user);
    }
  });
  return result;
}
