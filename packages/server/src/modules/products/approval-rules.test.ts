import { describe, expect, it } from 'vitest';
import { PermissionLevel } from '../apps/apps.entity.js';
import {
  configuredConditions,
  emailDomainOf,
  evaluateApprovalRules,
  type ApprovalFacts,
} from './approval-rules.js';
import { ApprovalMode, type ApprovalRules } from './products.entity.js';

const FACTS: ApprovalFacts = {
  orgVerified: true,
  planRank: 2,
  permissionLevel: PermissionLevel.READ_WRITE,
  ownerEmail: 'ada@example.com',
};

const ALL_RULES: ApprovalRules = {
  requireVerifiedOrg: true,
  minimumPlanRank: 2,
  maximumPermissionLevel: PermissionLevel.READ_WRITE,
  emailDomains: ['example.com', 'portico.dev'],
};

const conditional = (approvalRules: ApprovalRules) => ({
  approvalMode: ApprovalMode.CONDITIONAL,
  approvalRules,
});

describe('evaluateApprovalRules', () => {
  it('approves AUTO products by rule AUTO, whatever the facts and stored rules', () => {
    for (const facts of [
      FACTS,
      {
        orgVerified: false,
        planRank: 0,
        permissionLevel: PermissionLevel.READ_WRITE_DM,
        ownerEmail: '',
      },
    ]) {
      expect(
        evaluateApprovalRules({ approvalMode: ApprovalMode.AUTO, approvalRules: ALL_RULES }, facts),
      ).toEqual({ approved: true, rule: 'AUTO', failed: [] });
    }
  });

  it('never approves MANUAL products, even when stored rules would hold', () => {
    expect(
      evaluateApprovalRules({ approvalMode: ApprovalMode.MANUAL, approvalRules: ALL_RULES }, FACTS),
    ).toEqual({ approved: false, rule: null, failed: [] });
  });

  it('approves nothing for a CONDITIONAL product with no condition set', () => {
    for (const rules of [
      {},
      {
        requireVerifiedOrg: false,
        minimumPlanRank: null,
        maximumPermissionLevel: null,
        emailDomains: [],
      },
    ]) {
      expect(evaluateApprovalRules(conditional(rules), FACTS)).toEqual({
        approved: false,
        rule: null,
        failed: [],
      });
    }
  });

  type Row = [string, ApprovalRules, Partial<ApprovalFacts>, boolean];
  const table: Row[] = [
    ['verified org: verified', { requireVerifiedOrg: true }, { orgVerified: true }, true],
    ['verified org: not verified', { requireVerifiedOrg: true }, { orgVerified: false }, false],
    ['minimum rank 2: rank 2', { minimumPlanRank: 2 }, { planRank: 2 }, true],
    ['minimum rank 2: rank 3', { minimumPlanRank: 2 }, { planRank: 3 }, true],
    ['minimum rank 2: rank 1', { minimumPlanRank: 2 }, { planRank: 1 }, false],
    ['minimum rank 0: rank 0', { minimumPlanRank: 0 }, { planRank: 0 }, true],
    [
      'max READ_WRITE: READ',
      { maximumPermissionLevel: PermissionLevel.READ_WRITE },
      { permissionLevel: PermissionLevel.READ },
      true,
    ],
    [
      'max READ_WRITE: READ_WRITE',
      { maximumPermissionLevel: PermissionLevel.READ_WRITE },
      { permissionLevel: PermissionLevel.READ_WRITE },
      true,
    ],
    [
      'max READ_WRITE: READ_WRITE_DM',
      { maximumPermissionLevel: PermissionLevel.READ_WRITE },
      { permissionLevel: PermissionLevel.READ_WRITE_DM },
      false,
    ],
    [
      'max READ: READ_WRITE',
      { maximumPermissionLevel: PermissionLevel.READ },
      { permissionLevel: PermissionLevel.READ_WRITE },
      false,
    ],
    [
      'max READ_WRITE_DM: READ_WRITE_DM',
      { maximumPermissionLevel: PermissionLevel.READ_WRITE_DM },
      { permissionLevel: PermissionLevel.READ_WRITE_DM },
      true,
    ],
    ['domain: exact', { emailDomains: ['example.com'] }, { ownerEmail: 'a@example.com' }, true],
    ['domain: case', { emailDomains: ['example.com'] }, { ownerEmail: 'A@EXAMPLE.COM' }, true],
    [
      'domain: second listed',
      { emailDomains: ['other.org', 'example.com'] },
      { ownerEmail: 'a@example.com' },
      true,
    ],
    [
      'domain: subdomain',
      { emailDomains: ['example.com'] },
      { ownerEmail: 'a@eu.example.com' },
      false,
    ],
    [
      'domain: lookalike',
      { emailDomains: ['example.com'] },
      { ownerEmail: 'a@notexample.com' },
      false,
    ],
    [
      'domain: suffix trick',
      { emailDomains: ['example.com'] },
      { ownerEmail: 'a@example.com.evil.io' },
      false,
    ],
    ['domain: no @', { emailDomains: ['example.com'] }, { ownerEmail: 'example.com' }, false],
  ];

  it.each(table)('%s', (_name, rules, facts, approved) => {
    const decision = evaluateApprovalRules(conditional(rules), { ...FACTS, ...facts });
    const [condition] = configuredConditions(rules);
    expect(decision).toEqual(
      approved
        ? { approved: true, rule: `CONDITIONAL:${condition}`, failed: [] }
        : { approved: false, rule: null, failed: [condition] },
    );
  });

  it('approves when every set condition holds, naming them all in the rule', () => {
    expect(evaluateApprovalRules(conditional(ALL_RULES), FACTS)).toEqual({
      approved: true,
      rule: 'CONDITIONAL:requireVerifiedOrg+minimumPlanRank+maximumPermissionLevel+emailDomains',
      failed: [],
    });
  });

  it('refuses when any set condition fails, listing every failed one in order', () => {
    expect(
      evaluateApprovalRules(conditional(ALL_RULES), {
        ...FACTS,
        orgVerified: false,
        ownerEmail: 'a@gmail.com',
      }),
    ).toEqual({ approved: false, rule: null, failed: ['requireVerifiedOrg', 'emailDomains'] });
    expect(
      evaluateApprovalRules(conditional(ALL_RULES), {
        orgVerified: false,
        planRank: 0,
        permissionLevel: PermissionLevel.READ_WRITE_DM,
        ownerEmail: 'a@gmail.com',
      }).failed,
    ).toEqual(['requireVerifiedOrg', 'minimumPlanRank', 'maximumPermissionLevel', 'emailDomains']);
  });

  it('ignores conditions that are not set (false, null, empty list)', () => {
    const rules: ApprovalRules = {
      requireVerifiedOrg: false,
      minimumPlanRank: null,
      maximumPermissionLevel: null,
      emailDomains: ['example.com'],
    };
    expect(
      evaluateApprovalRules(conditional(rules), {
        ...FACTS,
        orgVerified: false,
        planRank: 0,
        permissionLevel: PermissionLevel.READ_WRITE_DM,
      }),
    ).toEqual({ approved: true, rule: 'CONDITIONAL:emailDomains', failed: [] });
  });

  it('does not change its inputs', () => {
    const product = conditional(structuredClone(ALL_RULES));
    const facts = { ...FACTS };
    evaluateApprovalRules(product, facts);
    expect(product.approvalRules).toEqual(ALL_RULES);
    expect(facts).toEqual(FACTS);
  });
});

describe('emailDomainOf', () => {
  it.each([
    ['a@example.com', 'example.com'],
    ['A@Example.COM ', 'example.com'],
    ['"weird@name"@example.com', 'example.com'],
    ['nobody', ''],
  ])('%s → %s', (email, domain) => {
    expect(emailDomainOf(email)).toBe(domain);
  });
});
