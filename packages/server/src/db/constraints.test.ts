import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { conflict, PorticoError } from '../errors.js';
import { mappingConstraintErrors } from './constraints.js';
import { Organization, OrganizationKind } from '../modules/orgs/orgs.entity.js';

const server = useTestServer();

let rows = 0;
const insertOrg = (slug: string, name: string | null = 'Org') =>
  server.orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into organization (id, created_at, updated_at, name, slug, kind) values (?, now(), now(), ?, ?, 'TEAM')`,
      [`org_${slug}_${++rows}`, name, slug],
    );

const errors = {
  organization_slug_unique: () => conflict('slug', 'Another organization already uses this slug.'),
};

describe('mappingConstraintErrors', () => {
  it('turns the violation of a named constraint into its typed error, naming the field', async () => {
    const slug = `dup-${Date.now().toString(36)}`;
    await insertOrg(slug);
    const failure = await mappingConstraintErrors(errors, () => insertOrg(slug)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PorticoError);
    expect((failure as PorticoError).extensions).toEqual({ code: 'CONFLICT', field: 'slug' });
  });

  it('does the same for a violation the ORM reports from a flush', async () => {
    const slug = `orm-${Date.now().toString(36)}`;
    const em = server.orm.em.fork();
    em.persist(new Organization('First', slug, OrganizationKind.TEAM));
    await em.flush();
    const failure = await mappingConstraintErrors(errors, async () => {
      const again = server.orm.em.fork();
      await again.persist(new Organization('Second', slug, OrganizationKind.TEAM)).flush();
    }).catch((error: unknown) => error);
    expect((failure as PorticoError).extensions).toEqual({ code: 'CONFLICT', field: 'slug' });
  });

  it('lets every other error through unchanged', async () => {
    const slug = `nul-${Date.now().toString(36)}`;
    const failure = await mappingConstraintErrors(errors, () => insertOrg(slug, null)).catch(
      (error: unknown) => error,
    );
    expect(failure).not.toBeInstanceOf(PorticoError);
    expect(String(failure)).toMatch(/not-null|null value/);
    // A unique violation of a constraint it was not told about goes through as well.
    await insertOrg(`${slug}-a`);
    const other = await mappingConstraintErrors({}, () => insertOrg(`${slug}-a`)).catch(
      (error: unknown) => error,
    );
    expect(other).not.toBeInstanceOf(PorticoError);
  });

  it('returns what the work returns', async () => {
    expect(await mappingConstraintErrors(errors, async () => 42)).toBe(42);
  });
});
