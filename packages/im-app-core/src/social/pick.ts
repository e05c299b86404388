/** Choosing people from a list with a cap (group invitations, call members). */

export interface PickResult {
  picked: number[];
  /** The cap kept this id out. */
  refused: boolean;
}

/**
 * Toggle `id` in `picked`: ids in `fixed` (already members, the owner) never change, and
 * nothing is added beyond `max` ids.
 */
export function togglePick(
  picked: readonly number[],
  id: number,
  max: number,
  fixed: ReadonlySet<number> = new Set(),
): PickResult {
  if (fixed.has(id)) return { picked: picked.slice(), refused: false };
  if (picked.includes(id)) return { picked: picked.filter((x) => x !== id), refused: false };
  if (picked.length >= max) return { picked: picked.slice(), refused: true };
  return { picked: [...picked, id], refused: false };
}

/**
 * How many more members a group call may take: the server's WEBRTC max channel counts
 * everyone in the call, me included.
 */
export function callRoom(maxChannel: number, inCall: readonly number[], me: number): number {
  return Math.max(0, maxChannel - new Set([me, ...inCall]).size);
}
