import { z } from 'zod';

export const browseResult = z.object({
  variables: z.array(
    z.object({ nodeId: z.string(), path: z.array(z.string()), displayName: z.string(), dataType: z.string(), value: z.unknown() }),
  ),
  truncated: z.boolean(),
  proposal: z
    .object({ mappings: z.array(z.object({ nodeId: z.string(), asset: z.string(), point: z.string() })) })
    .passthrough()
    .describe('a registry entry to review and paste: url, security and numeric variables mapped to points'),
});
