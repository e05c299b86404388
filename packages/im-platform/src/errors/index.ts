export { AppError, defineErrors, format, type ErrorDef, type ErrorParams, type Lang } from './app-error';
export { AuthErrors, CommonErrors } from './catalog/common';
export { MessageErrors } from './catalog/message';
export { GroupErrors } from './catalog/group';
export { FriendErrors } from './catalog/friend';
export { PrivateMessageErrors } from './catalog/private-message';
export { FileErrors } from './catalog/file';
export { WebrtcErrors } from './catalog/webrtc';
export { AdminErrors } from './catalog/admin';
