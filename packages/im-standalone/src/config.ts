import { platformConfigSchema, platformParseOptions } from '@box-im/im-platform';
import { parseConfig, pushNodeConfigShape } from '@box-im/im-process';
import type { z } from 'zod';

/** Every variable of the standalone process: the platform's and the push node's. */
export const standaloneConfigSchema = platformConfigSchema.extend(pushNodeConfigShape);
export type StandaloneConfig = Readonly<z.infer<typeof standaloneConfigSchema>>;

export function loadStandaloneConfig(source: Record<string, string | undefined>): StandaloneConfig {
  return parseConfig(standaloneConfigSchema, source, platformParseOptions);
}
