import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundlePath } from '../src/temporal/worker';

/** Prebuilds the workflow bundle so workers start fast and identical code runs on every worker. */
async function main(): Promise<void> {
  const out = process.argv[2] ?? workflowBundlePath();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: undefined });
  writeFileSync(out, code);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
