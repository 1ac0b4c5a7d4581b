import { registerNodeFinder } from '../../graphql/node.service.js';
import { MailResolver } from './mail.resolver.js';
import { findOutboxMessage } from './mail.service.js';

registerNodeFinder('mail', findOutboxMessage);

export const mailResolvers: Function[] = [MailResolver];
