import { MemoryBus } from '@box-im/im-bus';
import { runBusContract } from './bus.contract';

// One process: every "connection" is the bus itself.
runBusContract(
  'memory',
  () => Promise.resolve(new MemoryBus()),
  (bus) => Promise.resolve(bus),
);
