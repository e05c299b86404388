/**
 * Node/V8 flags a push node process is started with: `npm run start:server`, deploy/systemd
 * and deploy/compose.yaml spell them out (checked by test/node-flags.test.ts), and the bench
 * starts its push nodes with them.
 *
 * `--max-semi-space-size=2`: a young generation of at most 2 MiB per semi-space instead of
 * V8's 16. A push node's allocations are short-lived frames and login work, so the big young
 * generation is mostly empty memory: 32 MiB of new space committed per process after the first
 * connection burst, which V8 keeps resident even once its memory reducer has shrunk the space
 * (docs/benchmarks.md, "Idle memory above 10k").
 */
export const PUSH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
