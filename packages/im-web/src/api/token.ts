/**
 * The tab's tokens: the access token in sessionStorage (per tab); the refresh token also in
 * localStorage only with "remember me". The password is never stored.
 */
import { tokenStore } from '@box-im/im-app-core';

export const tokens = tokenStore(sessionStorage, localStorage);
