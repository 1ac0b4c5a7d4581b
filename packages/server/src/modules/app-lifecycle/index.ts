import { AppLifecycleResolver } from './app-lifecycle.resolver.js';

export const appLifecycleResolvers: Function[] = [AppLifecycleResolver];
