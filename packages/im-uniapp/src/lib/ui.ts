/** uni's dialogs and the tab bar, in the UI language. */
import { t } from '../i18n';

/** OK / Cancel: resolves true on OK. */
export function confirmBox(content: string): Promise<boolean> {
  return new Promise((resolve) => {
    uni.showModal({
      content,
      confirmText: t('common.ok'),
      cancelText: t('common.cancel'),
      success: ({ confirm }) => resolve(confirm),
      fail: () => resolve(false),
    });
  });
}

/** A notice with one OK button: resolves when it is closed. */
export function alertBox(content: string): Promise<void> {
  return new Promise((resolve) => {
    uni.showModal({ content, showCancel: false, confirmText: t('common.ok'), complete: () => resolve() });
  });
}

/** A menu of actions (long press): runs the one picked. */
export function actionSheet(items: { label: string; run: () => void }[]): void {
  uni.showActionSheet({
    itemList: items.map((i) => i.label),
    success: ({ tapIndex }) => items[tapIndex]?.run(),
  });
}

const TABS = ['tab.chat', 'tab.friend', 'tab.group', 'tab.mine'] as const;
const ignore = () => undefined;

function badge(index: number, n: number): void {
  if (n > 0) uni.setTabBarBadge({ index, text: n > 99 ? '99+' : String(n), fail: ignore });
  else uni.removeTabBarBadge({ index, fail: ignore });
}

/** Tab texts in the current language and the badges; call from a tab page's onShow. */
export function syncTabBar(unread: number, waiting?: number): void {
  TABS.forEach((key, index) => uni.setTabBarItem({ index, text: t(key), fail: ignore }));
  badge(0, unread);
  if (waiting !== undefined) badge(1, waiting);
}

/** Friend requests and group invitations waiting for me: the badge on the friends tab. */
export const syncContactsBadge = (waiting: number) => badge(1, waiting);

/** A one-line text question (uni's editable modal): the text, or null when cancelled. */
export function promptBox(title: string, value: string): Promise<string | null> {
  return new Promise((resolve) => {
    uni.showModal({
      title,
      editable: true,
      content: value,
      confirmText: t('common.ok'),
      cancelText: t('common.cancel'),
      success: (res) => resolve(res.confirm ? ((res as { content?: string }).content ?? '') : null),
      fail: () => resolve(null),
    });
  });
}
