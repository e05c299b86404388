/** Message boxes in the current UI language; cancelling is a normal outcome, not an error. */
import { ElMessageBox } from 'element-plus';
import { t } from '../i18n';

const buttons = () => ({ confirmButtonText: t('common.confirm'), cancelButtonText: t('common.cancel') });

export async function confirm(message: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, { type: 'warning', ...buttons() });
    return true;
  } catch {
    return false;
  }
}

export async function prompt(
  message: string,
  title: string,
  validate: (v: string) => boolean | string,
): Promise<string | null> {
  try {
    const { value } = await ElMessageBox.prompt(message, title, { ...buttons(), inputValidator: validate });
    return value;
  } catch {
    return null;
  }
}

export async function alert(message: string, type: 'warning' | 'error'): Promise<void> {
  await ElMessageBox.alert(message, { type, confirmButtonText: t('common.ok') }).catch(() => undefined);
}
