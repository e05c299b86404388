/** `npm start`: the whole system in one process. */
import { ConfigError } from '@box-im/im-server';
import { startStandalone } from '../standalone';
import { runUntilSignal } from './run';

await runUntilSignal(async () => {
  try {
    return await startStandalone();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration:\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
});
