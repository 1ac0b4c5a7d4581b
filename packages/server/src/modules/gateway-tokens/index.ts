import { registerNodeFinder } from '../../graphql/node.service.js';
import { GatewayTokenResolver } from './gateway-tokens.resolver.js';
import { findGatewayToken } from './gateway-tokens.service.js';

registerNodeFinder('gwt', findGatewayToken);

export const gatewayTokensResolvers: Function[] = [GatewayTokenResolver];
