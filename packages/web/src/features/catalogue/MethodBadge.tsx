import { Badge, type BadgeProps } from '@mantine/core';

const COLORS: Record<string, string> = {
  GET: 'teal',
  POST: 'blue',
  PUT: 'orange',
  PATCH: 'yellow',
  DELETE: 'red',
};

/** An HTTP method, coloured as API references usually do. */
export function MethodBadge({ method, ...props }: { method: string } & BadgeProps) {
  const upper = method.toUpperCase();
  return (
    <Badge
      variant="light"
      color={COLORS[upper] ?? 'gray'}
      radius="sm"
      className="portico-mono"
      styles={{ label: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      miw={64}
      {...props}
    >
      {upper}
    </Badge>
  );
}
