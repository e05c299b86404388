import { runFanout } from './fanout';
const r = await runFanout((process.env.SYS ?? 'ours') as 'ours', { redisUrl: 'redis://127.0.0.1:6379', members: 500, messages: Number(process.env.MSG ?? 1000), inFlight: 10 });
const f = (n: number) => n.toFixed(2);
console.log(`${process.env.TAG ?? r.system} total ${f(r.totalCpuPerDelivery)} node ${f(r.nodeCpuPerDelivery)} pusher% ${f(r.pusherCpuShare*100)} pusherUs ${f(r.pusherCpuShare*r.seconds*1e6/r.deliveries)} rate ${r.perSecond.toFixed(0)} p50 ${f(r.p50)} load ${(await import('node:os')).loadavg()[0]!.toFixed(2)}`);
