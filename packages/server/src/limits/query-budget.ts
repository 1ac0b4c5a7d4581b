import type { ApolloServerPlugin } from '@apollo/server';
import type { Context, CostState, Services, Viewer } from '../context.js';
import type { Env } from '../env.js';
import { budgetExceeded, operationTooLarge } from '../errors.js';
import { addressKey, type LimitRule } from './limits.js';
import { COST, operationCost } from './query-cost.js';

const HOUR_SECONDS = 3600;

/** The caller's budget: per personal access token, per session, or per anonymous address. */
export function budgetIdentity(
  env: Env,
  viewer: Viewer | null,
  ip: string | null,
): { rule: LimitRule; key: string } {
  if (viewer?.tokenId) {
    return {
      rule: { name: 'cost:token', limit: env.COST_BUDGET_PER_TOKEN, windowSeconds: HOUR_SECONDS },
      key: viewer.tokenId,
    };
  }
  if (viewer) {
    return {
      rule: {
        name: 'cost:session',
        limit: env.COST_BUDGET_PER_SESSION,
        windowSeconds: HOUR_SECONDS,
      },
      key: viewer.sessionId ?? viewer.user.id,
    };
  }
  return {
    rule: { name: 'cost:address', limit: env.COST_BUDGET_PER_ADDRESS, windowSeconds: HOUR_SECONDS },
    key: addressKey(ip),
  };
}

/** Spends the operation's cost from the caller's budget; the state, or null if unknown. */
async function charge(
  services: Services,
  viewer: Viewer | null,
  ip: string | null,
  cost: number,
): Promise<{ allowed: boolean; state: CostState } | null> {
  const { rule, key } = budgetIdentity(services.env, viewer, ip);
  try {
    const result = await services.limits.spend(rule, key, cost);
    return {
      allowed: result.allowed,
      state: {
        cost,
        limit: result.limit,
        remaining: result.remaining,
        resetAt: new Date(result.resetAt),
      },
    };
  } catch (err) {
    // The budget store is out of reach (its own fallback failed too): serve, unmetered.
    services.log.error({ err }, 'the query cost budget could not be checked');
    return null;
  }
}

function extensionOf(state: CostState): Record<string, string | number> {
  return {
    requested: state.cost,
    limit: state.limit,
    remaining: state.remaining,
    resetAt: state.resetAt.toISOString(),
  };
}

/**
 * Apollo plugin: works out each operation's cost once it is validated, refuses one that may
 * return more than MAX_NODES objects (BAD_USER_INPUT on `query`), spends it from the
 * caller's hourly budget, refuses it (RATE_LIMITED with `resetAt`, HTTP 429) when it costs
 * more than is left, and tells the cost and what is left in `extensions.cost` of every answer.
 */
export function queryBudgetPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operationName, request, schema }) {
          const priced = operationCost(schema, document, operationName, request.variables);
          if (!priced) return;
          if (priced.nodes > COST.MAX_NODES) throw operationTooLarge(priced.nodes, COST.MAX_NODES);
          const charged = await charge(
            contextValue,
            contextValue.viewer,
            contextValue.request.ip,
            priced.cost,
          );
          if (!charged) return;
          contextValue.cost = charged.state;
          if (!charged.allowed) {
            throw budgetExceeded(priced.cost, charged.state.remaining, charged.state.resetAt);
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !contextValue.cost) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: extensionOf(contextValue.cost) };
        },
      };
    },
  };
}
