import { MemoryBus } from '@box-im/im-bus';
import { runBusContract } from './bus.contract';
import { runNoticeContract } from './notices.contract';

// One process: every "connection" is the bus itself.
runBusContract(
  'memory',
  () => Promise.resolve(new MemoryBus()),
  (bus) => Promise.resolve(bus),
);
runNoticeContract(
  'memory',
  () => Promise.resolve(new MemoryBus()),
  (bus) => Promise.resolve(bus),
);
