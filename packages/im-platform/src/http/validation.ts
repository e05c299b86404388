import type { Lang } from '../errors';

/** The part of an Ajv error we read. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `body.recvId`, `querystring.minId`, `body.atUserIds[2]`… */
function fieldName(error: SchemaError): string {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  const missing = error.params['missingProperty'];
  if (error.keyword === 'required' && typeof missing === 'string')
    return path ? `${path}.${missing}` : missing;
  return path || '(body)';
}

const TYPE_ZH: Record<string, string> = {
  integer: '整数',
  number: '数字',
  string: '字符串',
  boolean: '布尔值',
  array: '数组',
  object: '对象',
  null: 'null',
};

/**
 * A sentence naming the field and what is wrong with it, in the asked language, for the
 * first schema error (box-im reports the first error too).
 */
export function describeSchemaError(error: SchemaError, lang: Lang): string {
  const field = fieldName(error);
  const p = error.params;
  const zh = lang === 'zh';
  switch (error.keyword) {
    case 'required':
      return zh ? `缺少参数 ${field}` : `missing field ${field}`;
    case 'type': {
      const type = String(p['type']);
      return zh ? `${field} 类型错误，应为${TYPE_ZH[type] ?? type}` : `${field} must be of type ${type}`;
    }
    case 'minLength':
      return Number(p['limit']) <= 1
        ? zh
          ? `${field} 不能为空`
          : `${field} must not be empty`
        : zh
          ? `${field} 长度不能少于${String(p['limit'])}个字符`
          : `${field} must be at least ${String(p['limit'])} characters`;
    case 'maxLength':
      return zh
        ? `${field} 长度不能超过${String(p['limit'])}个字符`
        : `${field} must be at most ${String(p['limit'])} characters`;
    case 'minimum':
      return zh ? `${field} 不能小于${String(p['limit'])}` : `${field} must be >= ${String(p['limit'])}`;
    case 'maximum':
      return zh ? `${field} 不能大于${String(p['limit'])}` : `${field} must be <= ${String(p['limit'])}`;
    case 'minItems':
      return zh ? `${field} 不能为空` : `${field} must have at least ${String(p['limit'])} item(s)`;
    case 'maxItems':
      return zh
        ? `${field} 最多${String(p['limit'])}项`
        : `${field} must have at most ${String(p['limit'])} items`;
    case 'enum':
      return zh ? `${field} 取值不合法` : `${field} has an invalid value`;
    case 'pattern':
    case 'format':
      return zh ? `${field} 格式不正确` : `${field} has an invalid format`;
    default:
      return zh ? `${field} 不合法` : `${field} is invalid${error.message ? `: ${error.message}` : ''}`;
  }
}
