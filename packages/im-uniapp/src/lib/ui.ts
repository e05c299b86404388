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

/** Tab texts in the current language and the unread badge; call from a tab page's onShow. */
export function syncTabBar(unread: number): void {
  TABS.forEach((key, index) => uni.setTabBarItem({ index, text: t(key), fail: ignore }));
  if (unread > 0) uni.setTabBarBadge({ index: 0, text: unread > 99 ? '99+' : String(unread), fail: ignore });
  else uni.removeTabBarBadge({ index: 0, fail: ignore });
}
