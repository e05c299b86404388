/** Global overlays (user card, full-screen image), opened from anywhere. */
import { reactive } from 'vue';

export const overlay = reactive({
  userId: 0,
  imageUrl: '',
  settings: false,
});

export function openUser(id: number) {
  if (id > 0) overlay.userId = id;
}
export function openImage(url: string) {
  overlay.imageUrl = url;
}
