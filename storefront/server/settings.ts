import { resolve } from 'node:path';

/** Where the storefront's server listens and what it serves; from the environment, like every service's. */
export interface StorefrontSettings {
  host: string;
  port: number;
  /** The built app (`vite build`): index.html and the hashed files under assets/. */
  webRoot: string;
  /**
   * Development only: POST /dev/token mints a token for any customer name, signed with the local
   * development key. Never set in the Kubernetes manifests, whose image lacks the code that signs.
   */
  devSignIn: boolean;
}

export function storefrontSettings(env: NodeJS.ProcessEnv = process.env): StorefrontSettings {
  const port = Number(env.STOREFRONT_PORT ?? 8082);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`STOREFRONT_PORT must be a port number, got ${env.STOREFRONT_PORT}`);
  return {
    host: env.STOREFRONT_HOST ?? '127.0.0.1',
    port,
    webRoot: env.STOREFRONT_WEB_ROOT ?? resolve(__dirname, '../web'),
    devSignIn: env.STOREFRONT_DEV_SIGN_IN === 'true',
  };
}
