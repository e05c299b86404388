import { MemoryBus } from '@box-im/im-bus';
import { runBusContract } from './bus.contract';

runBusContract('memory', () => Promise.resolve(new MemoryBus()));
