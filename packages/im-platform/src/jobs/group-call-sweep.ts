import type { Logger } from 'pino';
import type { WebrtcGroupService } from '../services/webrtc-group.service';
import type { Job } from './job';

/** Seconds between sweeps of group calls for participants whose clients stopped beating. */
const PERIOD_SECONDS = 15;

/** Ends group calls whose clients died (no heartbeat), so the end tip is written without a visitor. */
export function groupCallSweepJob(calls: WebrtcGroupService, log: Logger): Job {
  let timer: NodeJS.Timeout | undefined;
  const sweep = async () => {
    try {
      await calls.sweep();
    } catch (err) {
      log.warn({ err }, 'group call sweep failed');
    }
  };
  return {
    name: 'group-call-sweep',
    start() {
      timer = setInterval(() => void sweep(), PERIOD_SECONDS * 1000);
      timer.unref();
      return Promise.resolve();
    },
    stop() {
      clearInterval(timer);
      return Promise.resolve();
    },
    runNow: sweep,
  };
}
