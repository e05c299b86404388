/** A background task of the platform process, started after boot and stopped at shutdown. */
export interface Job {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Run one pass immediately (tests, admin tools). */
  runNow?(): Promise<void>;
}
