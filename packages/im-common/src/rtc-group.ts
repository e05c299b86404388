/** A participant of a group call as box-im's clients describe it (`WebrtcUserInfo`). */
export interface WebrtcUserInfo {
  id: number;
  nickName: string;
  headImage: string;
  isCamera: boolean;
  isMicroPhone: boolean;
}

/** `GET /webrtc/group/info`: the call running in a group, if any. */
export interface WebrtcGroupInfoVO {
  isChating: boolean;
  /** The member who started the call. */
  host: WebrtcUserInfo | null;
  /** Those in the call now. */
  userInfos: WebrtcUserInfo[];
  /** Invited, not yet answered. */
  invitedUserInfos: WebrtcUserInfo[];
  /** Epoch ms the call started. */
  startTime: number | null;
}

/** Content of an RTC_GROUP_FAILED frame (box-im `WebrtcGroupFailedVO`). */
export interface WebrtcGroupFailedVO {
  userIds: number[];
  reason: string;
}
