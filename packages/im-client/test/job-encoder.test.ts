import { describe, expect, it } from 'vitest';
import { JobEncoder } from '../src/job-encoder';

/** The encoder writes by hand what `JSON.stringify` of the job object would: checked field for field. */
describe('JobEncoder', () => {
  const sender = { id: 1, terminal: 0 };
  const data = { text: 'héllo "quoted" \\ \n 😀', n: [1, null], nested: { a: true } };

  it('box-im form: parses to the IMRecvInfo JSON.stringify would write', () => {
    const job = new JobEncoder(4, sender, true, 'im-platform', data).encode([10, 0, 11, 2], false);
    expect(JSON.parse(job)).toEqual(
      JSON.parse(
        JSON.stringify({
          cmd: 4,
          sender,
          receivers: [
            { id: 10, terminal: 0 },
            { id: 11, terminal: 2 },
          ],
          sendResult: true,
          serviceName: 'im-platform',
          data,
        }),
      ),
    );
  });

  it('compact form: recvPairs instead of receivers', () => {
    const job = new JobEncoder(4, sender, false, 'svc', data).encode([10, 0, 11, 2], true);
    expect(JSON.parse(job)).toEqual({
      cmd: 4,
      sender,
      recvPairs: [10, 0, 11, 2],
      sendResult: false,
      serviceName: 'svc',
      data: JSON.parse(JSON.stringify(data)),
    });
  });

  it('leaves out an absent sender, service name and data, and writes bad ids as null', () => {
    const encoder = new JobEncoder(5, undefined, false, undefined, undefined);
    expect(JSON.parse(encoder.encode([NaN, 0], false))).toEqual({
      cmd: 5,
      receivers: [{ id: null, terminal: 0 }],
      sendResult: false,
    });
    expect(JSON.parse(encoder.encode([], true))).toEqual({ cmd: 5, recvPairs: [], sendResult: false });
  });

  it('keeps null data (a frame with data null)', () => {
    expect(JSON.parse(new JobEncoder(4, sender, false, undefined, null).encode([1, 0], true))).toMatchObject({
      data: null,
    });
  });
});
