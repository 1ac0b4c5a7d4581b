import { ConnectionType } from '../../graphql/connection.js';
import { MailMessage } from './mail.entity.js';

/** `MailMessageConnection`: the staff outbox, newest first. */
export const MailMessageConnection = ConnectionType(MailMessage, 'MailMessage');
