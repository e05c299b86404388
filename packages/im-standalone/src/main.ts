/** `npm start`: the whole system in one process. */
import { runUntilSignal } from '@box-im/im-process';
import { startStandalone } from './standalone';

await runUntilSignal(() => startStandalone());
