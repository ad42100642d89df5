import type { Bilingual } from '../i18n/language';

/**
 * Why a sign-in through the provider failed, and how the console says so. Kept apart from
 * oidc.ts so the sign-in page can word a failure without loading the OIDC library.
 */
export type OidcFailure =
  /** Discovery or the token endpoint could not be reached (down, offline, CORS, CSP). */
  | 'unreachable'
  /** The person cancelled at the provider (access_denied). */
  | 'cancelled'
  /** The state that came back is not the one this tab sent: a forged or stale callback. */
  | 'state-mismatch'
  /** A callback with no sign-in begun in this tab (reloaded, or opened in another tab). */
  | 'no-sign-in-pending'
  /** The provider answered with an error of its own (invalid_client, a bad redirect URI…). */
  | 'provider-error'
  /** The provider's answer failed a check (issuer, audience, nonce, expiry of the ID token). */
  | 'invalid-response';

export const OIDC_FAILURE_TEXT: Record<OidcFailure, Bilingual> = {
  unreachable: {
    zh: '无法连接统一身份认证服务，请检查网络或稍后再试',
    en: 'The identity provider cannot be reached; check the network or try again later',
  },
  cancelled: { zh: '您已取消登录', en: 'You cancelled the sign-in' },
  'state-mismatch': {
    zh: '登录校验失败（state 不一致），可能是过期或伪造的登录回调，请重新登录',
    en: 'The sign-in could not be verified (state mismatch): a stale or forged callback; sign in again',
  },
  'no-sign-in-pending': {
    zh: '没有找到本页发起的登录，请从登录页重新登录',
    en: 'No sign-in was started in this tab; sign in again from the sign-in page',
  },
  'provider-error': { zh: '统一身份认证服务拒绝了登录请求', en: 'The identity provider refused the sign-in' },
  'invalid-response': {
    zh: '统一身份认证服务的答复未通过校验，请联系管理员',
    en: 'The identity provider’s answer failed verification; contact the administrator',
  },
};

export class OidcError extends Error {
  constructor(
    readonly failure: OidcFailure,
    /** The provider's or the library's own words, shown under the explanation. */
    readonly detail?: string,
  ) {
    super(detail ? `${failure}: ${detail}` : failure);
    this.name = 'OidcError';
  }
}
