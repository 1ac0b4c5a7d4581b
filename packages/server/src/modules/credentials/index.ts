import { registerNodeFinder } from '../../graphql/node.service.js';
import { AppCredentialsResolver, CredentialResolver } from './credentials.resolver.js';
import { findCredential } from './credentials.service.js';

registerNodeFinder('crd', findCredential);

export const credentialsResolvers: Function[] = [CredentialResolver, AppCredentialsResolver];
