/** "45 min", "3 h", "2 d 4 h": how long an item has waited. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest > 0 && days < 7 ? `${days} d ${rest} h` : `${days} d`;
}

interface QueueEventLike {
  kind: string;
  decidedBy: { id: string; name: string } | null;
  grant: { app: { name: string }; product: { name: string } } | null;
  application: { user: { name: string } } | null;
}

/** What a queue event is about, in words: "Maps API for Weather app", "Ada's application". */
export function describeQueueSubject(event: QueueEventLike): string {
  if (event.grant) return `${event.grant.product.name} for ${event.grant.app.name}`;
  if (event.application) return `${event.application.user.name}'s application`;
  return 'an item';
}

/** The toast for a decision someone else made, or null (own decisions, other events). */
export function decidedByOtherMessage(event: QueueEventLike, viewerId: string): string | null {
  if (!event.kind.endsWith('.decided') || !event.decidedBy || event.decidedBy.id === viewerId) {
    return null;
  }
  return `${event.decidedBy.name} decided ${describeQueueSubject(event)}`;
}
