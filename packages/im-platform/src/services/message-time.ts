/**
 * The send time of a new message, in whole seconds: box-im's datetime columns have no
 * fraction (MySQL would round), so the VO a sender gets equals what every engine reads back.
 */
export function messageTime(now: Date = new Date()): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}
