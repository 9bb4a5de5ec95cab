import { createPublicKey, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DEFAULT_JWT_MAX_LIFETIME_SECONDS, type JwtConfig } from '../config/config';
import { AuthenticationError } from '../common/errors';
import { ROLE_ORDER, Role, type RoleName } from './roles';
import type { Viewer } from './viewer';

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

/**
 * The highest known role among the claim's values; `public` is never granted by a token. Matched
 * exactly: an identity provider that writes "ADMIN" means something we don't know, and guessing
 * in favour of the caller is how privileges leak.
 */
function roleFrom(claim: unknown): RoleName | null {
  const values = (Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === 'string');
  let best: RoleName | null = null;
  for (const role of ROLE_ORDER) if (role !== Role.PUBLIC && values.includes(role)) best = role;
  return best;
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.reason === 'missing') return `claim "${error.claim}" is missing (it is required)`;
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim "${error.claim}" is not valid (${error.reason})`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'its signing algorithm is not accepted';
  if (error instanceof joseErrors.JOSEError) return error.code.replace(/^ERR_/, '').toLowerCase().replace(/_/g, ' ');
  return 'it could not be verified';
}

/** Verifies identity-provider JWTs with the configured key; see docs/SECURITY.md for the claims. */
export class JwtVerifier {
  private readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly config: JwtConfig) {
    if (config.secret) {
      this.key = new TextEncoder().encode(config.secret);
      this.algorithms = ['HS256'];
    } else if (config.publicKey?.trim().startsWith('{')) {
      this.key = createLocalJWKSet(JSON.parse(config.publicKey));
      this.algorithms = ASYMMETRIC;
    } else {
      this.key = createPublicKey(config.publicKey!);
      this.algorithms = ASYMMETRIC;
    }
  }

  async verify(token: string): Promise<Viewer> {
    let payload: JWTPayload;
    try {
      // Without `exp` a stolen token would be good forever.
      const options = { algorithms: this.algorithms, issuer: this.config.issuer ?? undefined, audience: this.config.audience ?? undefined, requiredClaims: ['exp'] };
      ({ payload } = typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options));
    } catch (error) {
      throw new AuthenticationError(`Invalid bearer token: ${describe(error)}.`);
    }
    this.checkLifetime(payload);
    const role = roleFrom(payload[this.config.roleClaim]);
    if (!role) throw new AuthenticationError(`Invalid bearer token: claim "${this.config.roleClaim}" names no role (analyst, editor or admin).`);
    const office = payload[this.config.officeClaim];
    return { role, subject: `jwt:${payload.sub ?? 'unknown'}`.slice(0, 200), scopeOfficeCode: typeof office === 'string' && office ? office : null, tokenId: null };
  }

  /**
   * A token may live at most `maxLifetimeSeconds`: counted from `iat` when the token states it,
   * and never reaching further than that from now (so an `iat` set in the future cannot hide a long life).
   */
  private checkLifetime(payload: JWTPayload): void {
    const max = this.config.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_SECONDS;
    const exp = payload.exp!;
    const now = Math.floor(Date.now() / 1000);
    const issued = typeof payload.iat === 'number' ? payload.iat : now;
    const lifetime = Math.max(exp - issued, exp - now);
    if (lifetime > max) {
      throw new AuthenticationError(`Invalid bearer token: it lives ${lifetime} s, longer than the ${max} s this service accepts (JWT_MAX_LIFETIME_SECONDS); ask the identity provider for a shorter-lived token.`);
    }
  }
}
