/**
 * What the login and register pages share: the busy flag, the required-fields check, and
 * signing in (tokens kept, the user name remembered for the login form, the session started,
 * the chats shown).
 */
import { ref } from 'vue';
import { api, tokens } from '../api';
import { t } from '../i18n';
import { uniStorage } from '../platform';
import { startSession } from '../session';

export interface SignInOptions {
  /** A further check of the form: the message to show when it fails. */
  check?: () => string | undefined;
  /** Runs before the login (e.g. registering the account), with the trimmed user name. */
  before?: (userName: string) => Promise<unknown>;
}

export function useSignIn() {
  const busy = ref(false);
  const toast = (title: string) => uni.showToast({ title, icon: 'none' });

  async function signIn(form: { userName: string; password: string }, options: SignInOptions = {}) {
    const userName = form.userName.trim();
    if (!userName || !form.password) return toast(t('login.required'));
    const problem = options.check?.();
    if (problem) return toast(problem);
    busy.value = true;
    try {
      await options.before?.(userName);
      const vo = await api.login(userName, form.password);
      tokens.save(vo, true);
      uniStorage.setItem('userName', userName);
      void startSession().catch(() => undefined);
      uni.switchTab({ url: '/pages/chat/chat' });
    } catch {
      /* the HTTP client showed the error */
    } finally {
      busy.value = false;
    }
  }
  return { busy, signIn };
}
