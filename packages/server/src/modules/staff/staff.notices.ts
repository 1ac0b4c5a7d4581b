import type { App } from '../apps/apps.entity.js';
import type { Credential } from '../credentials/credentials.entity.js';
import { appPath } from '../grants/grants.mail.js';
import type { NotifyInput } from '../notifications/notifications.service.js';

/** To the app owner, when staff rotate the app's credentials with a grace period. */
export function rotationNotice(
  app: App,
  credentials: readonly Credential[],
  expiresAt: Date,
  reason: string | null,
): Omit<NotifyInput, 'userId'> {
  const until = expiresAt.toISOString().replace('T', ' ').slice(0, 16);
  const keys = credentials.map(
    (c) =>
      `- ${c.kind.toLowerCase().replace(/_/g, ' ')}${c.publicId ? ` ${c.publicId}` : ''} (${c.id})`,
  );
  return {
    kind: 'credential.rotated_by_staff',
    title: `Credentials of ${app.name} are being rotated`,
    body: [
      `Portal staff rotated ${credentials.length === 1 ? 'a credential' : `${credentials.length} credentials`} of your app ${app.name}:`,
      ...keys,
      '',
      `The old credentials keep working until ${until} UTC, then stop. Create new credentials for the app and move your traffic to them before then.`,
      ...(reason ? ['', `Reason: ${reason}`] : []),
    ].join('\n'),
    link: appPath(app),
  };
}
