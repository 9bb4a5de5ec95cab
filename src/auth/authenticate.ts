import { AuthenticationError } from '../common/errors';
import type { JwtVerifier } from './jwt';
import { looksLikeJwt } from './jwt';
import type { TokenService } from './token.service';
import { looksLikeApiToken } from './token.service';
import { ANONYMOUS, type Viewer } from './viewer';

/**
 * The viewer named by an `Authorization` header. No header means the anonymous public viewer; a
 * header that is present but does not verify is an error, never a silent fall-back to public.
 */
export async function viewerFromAuthorization(header: string | undefined, tokens: TokenService, jwt: JwtVerifier | null): Promise<Viewer> {
  if (header === undefined || header.trim() === '') return ANONYMOUS;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (!match) throw new AuthenticationError('Authorization header must be "Bearer <token>".');
  const credential = match[1]!;
  if (looksLikeApiToken(credential)) {
    const viewer = await tokens.authenticate(credential);
    if (!viewer) throw new AuthenticationError('Invalid bearer token: unknown or revoked API token.');
    return viewer;
  }
  if (looksLikeJwt(credential)) {
    if (!jwt) throw new AuthenticationError('Invalid bearer token: this deployment accepts no identity-provider tokens (JWT_SECRET / JWT_PUBLIC_KEY unset).');
    return jwt.verify(credential);
  }
  throw new AuthenticationError('Invalid bearer token: neither an API token (dg_…) nor a JWT.');
}
