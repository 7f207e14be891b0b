import { describe } from 'vitest';
import { openWorkerTarget, workerdAvailable } from '../support/workerd.ts';
import { liveSuite } from './live-suite.ts';
import { siteSettingsSuite } from './site-settings-suite.ts';
import { apiSuite } from './suite.ts';
import { votesSuite } from './votes-suite.ts';

// The Worker as deployed (server/entries/worker.ts, wrangler.jsonc) inside workerd, over a fresh local D1.
describe.runIf(workerdAvailable)('D1 in workerd', () => {
  apiSuite('D1 in workerd', openWorkerTarget);
  siteSettingsSuite('D1 in workerd', openWorkerTarget);
  votesSuite('D1 in workerd', openWorkerTarget);
  liveSuite('D1 in workerd', openWorkerTarget);
});
