/**
 * One declared error: a stable key (logged, sent as the `X-Error-Key` header), the box-im
 * wire code carried in the envelope, and its message in Chinese and English. Messages may
 * hold `{name}` placeholders filled from the error's params.
 */
export interface ErrorDef {
  key: string;
  code: number;
  zh: string;
  en: string;
}

type Defs<T> = { [K in keyof T]: { code: number; zh: string; en: string } };

/** Declare a group of errors; the key of each is its property name. */
export function defineErrors<T extends Record<string, { code: number; zh: string; en: string }>>(
  defs: T & Defs<T>,
): { [K in keyof T]: ErrorDef } {
  const out = {} as { [K in keyof T]: ErrorDef };
  for (const key of Object.keys(defs) as (keyof T & string)[]) out[key] = { key, ...defs[key] };
  return out;
}

export type ErrorParams = Record<string, string | number>;

/** Thrown by services; turned into the envelope by the HTTP error handler. */
export class AppError extends Error {
  constructor(
    readonly def: ErrorDef,
    readonly params: ErrorParams = {},
  ) {
    super(format(def.en, params));
    this.name = 'AppError';
  }

  get code(): number {
    return this.def.code;
  }

  message_in(lang: Lang): string {
    return format(lang === 'en' ? this.def.en : this.def.zh, this.params);
  }
}

export type Lang = 'zh' | 'en';

export function format(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
