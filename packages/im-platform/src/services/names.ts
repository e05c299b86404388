/**
 * Names people see and log in with: NFKC-normalised, without invisible or formatting
 * characters, and without look-alike script mixes (`аlice` with a Cyrillic `а`). Latin may
 * mix with Han, kana, Hangul or Bopomofo, as Chinese, Japanese and Korean users do
 * (UTS #39 "highly restrictive").
 */
import { AppError, AuthErrors, type ErrorDef } from '../errors';

const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Mongolian',
  'Ethiopic',
  'Cherokee',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Bopomofo',
  'Yi',
].map((name) => ({ name, re: new RegExp(`\\p{Script=${name}}`, 'u') }));

/** Script sets that may share a name (each with Common/Inherited characters). */
const ALLOWED_MIXES = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** Scripts of the characters of `text` (Common and Inherited ones, like digits, left out). */
export function scriptsOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const ch of text) {
    if (NEUTRAL.test(ch)) continue;
    found.add(SCRIPTS.find((s) => s.re.test(ch))?.name ?? `other:${ch}`);
  }
  return found;
}

/** Whether these scripts may appear together in one name. */
export function isAllowedMix(scripts: Set<string>): boolean {
  if (scripts.size <= 1) return true;
  return ALLOWED_MIXES.some((allowed) => [...scripts].every((s) => allowed.has(s)));
}

/** Characters that show nothing or change how text around them shows. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/**
 * Whether `text` holds an invisible or formatting character. With `emoji`, the joiner and
 * variation selectors of emoji sequences (👨‍👩‍👧, ❤️) are allowed right after an emoji.
 */
export function hasInvisible(text: string, emoji: boolean): boolean {
  const chars = [...text];
  return chars.some((ch, i) => {
    if (ch === ' ' || !INVISIBLE.test(ch)) return false;
    if (!emoji) return true;
    const prev = chars[i - 1] ?? '';
    const joinsEmoji = ch === '\u200d' && EMOJI.test(prev) && EMOJI.test(chars[i + 1] ?? '');
    const selectsEmoji = /[\ufe0e\ufe0f]/u.test(ch) && EMOJI.test(prev);
    return !joinsEmoji && !selectsEmoji;
  });
}

/** Max characters of a name once normalised (the register and profile schemas' limit). */
export const NAME_MAX = 20;

interface NameRules {
  invisible: ErrorDef;
  mixed: ErrorDef;
  /** Emoji sequences allowed (nicknames). */
  emoji: boolean;
}

function checkName(raw: string, rules: NameRules): string {
  const name = raw.normalize('NFKC').trim();
  if ([...name].length > NAME_MAX) throw new AppError(AuthErrors.NAME_TOO_LONG, { max: NAME_MAX });
  if (hasInvisible(name, rules.emoji)) throw new AppError(rules.invisible);
  // Nicknames are checked word by word ("Иван Smith" is two names, "аlice" one spoof).
  const words = rules.emoji ? name.split(/\s+/u) : [name];
  if (!words.every((w) => isAllowedMix(scriptsOf(w)))) throw new AppError(rules.mixed);
  return name;
}

/** A user name as stored and compared (NFKC, trimmed), or an error naming what is wrong. */
export function checkUserName(raw: string): string {
  return checkName(raw, {
    invisible: AuthErrors.USERNAME_INVISIBLE,
    mixed: AuthErrors.USERNAME_MIXED_SCRIPTS,
    emoji: false,
  });
}

/** A nickname as stored (NFKC, trimmed), or an error naming what is wrong. */
export function checkNickName(raw: string): string {
  return checkName(raw, {
    invisible: AuthErrors.NICKNAME_INVISIBLE,
    mixed: AuthErrors.NICKNAME_MIXED_SCRIPTS,
    emoji: true,
  });
}

/** A user name typed at login, normalised as registered names are (never refused here). */
export function loginName(raw: string): string {
  return raw.normalize('NFKC').trim();
}
