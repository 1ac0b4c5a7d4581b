interface PlanLike {
  id: string;
  rank: number;
}

interface SubscriptionLike {
  product: { id: string };
  plan: { id: string };
}

/** The organization's plan for a product: the chosen one, else the lowest-rank plan. */
export function planForProduct<P extends PlanLike>(
  productId: string,
  subscriptions: readonly SubscriptionLike[],
  plans: readonly P[],
): { plan: P | null; chosen: boolean } {
  const chosenId = subscriptions.find((sub) => sub.product.id === productId)?.plan.id;
  const chosen = chosenId ? plans.find((plan) => plan.id === chosenId) : undefined;
  if (chosen) return { plan: chosen, chosen: true };
  const lowest = [...plans].sort((a, b) => a.rank - b.rank)[0] ?? null;
  return { plan: lowest, chosen: false };
}
