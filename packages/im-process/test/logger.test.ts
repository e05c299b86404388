import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src';

describe('createLogger', () => {
  it('writes JSON lines and never a token or a password', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger({ name: 'test', level: 'info' }, sink);
    log.info(
      {
        req: { headers: { accesstoken: 'header-token', authorization: 'Bearer x' } },
        body: { password: 'pw-1', newPassword: 'pw-2', accessToken: 'a', refreshToken: 'r' },
        login: { token: 't' },
        userId: 7,
      },
      'hello',
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, any>;
    expect(entry).toMatchObject({ name: 'test', msg: 'hello', userId: 7 });
    for (const secret of ['header-token', 'Bearer x', 'pw-1', 'pw-2', '"a"', '"r"', '"t"'])
      expect(lines[0]).not.toContain(secret);
    expect(entry['body'].password).toBe('[redacted]');
  });
});
