export { AppError, defineErrors, format, type ErrorDef, type ErrorParams, type Lang } from './app-error';
export { AuthErrors, CommonErrors } from './catalog/common';
export { MessageErrors } from './catalog/message';
export { GroupErrors } from './catalog/group';
