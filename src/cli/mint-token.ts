import { createSigner } from 'fast-jwt';
import type { Config } from '../config';
import { readLocalSecret } from './local-secret';

/**
 * An HS256 token signed with JWT_SECRET or the secret npm start generated in DATA_DIR, or null
 * when neither exists or tokens come from an OIDC provider (an RS256/JWKS deployment: its tokens come from the identity provider).
 */
export function mintLocalToken(config: Config, claims: { role: string; sub: string }, expiresInMs: number): string | null {
  // Signed in through the provider: a token of ours, even from a left-over DATA_DIR/jwt-secret, would be refused.
  if (config.OIDC_ISSUER) return null;
  const secret = config.JWT_SECRET ?? readLocalSecret(config.DATA_DIR);
  if (!secret) return null;
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    expiresIn: expiresInMs,
    ...(config.JWT_ISSUER ? { iss: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { aud: config.JWT_AUDIENCE } : {}),
  });
  return sign(claims);
}
