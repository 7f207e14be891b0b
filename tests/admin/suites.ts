import { afterAll, beforeAll, describe } from 'vitest';
import type { ApiTarget } from '../api/target.ts';
import { accountsSuite } from './accounts-suite.ts';
import { burstsSuite } from './bursts-suite.ts';
import { moderationSuite } from './moderation-suite.ts';
import { ownerReplySuite } from './owner-reply-suite.ts';
import { sessionSuite } from './session-suite.ts';
import { sitesSuite } from './sites-suite.ts';

/**
 * Every admin API suite, run unchanged on each store and runtime. Each part takes a getter for the target, which
 * is opened once for all of them. Add a part here with one line.
 */
export function adminSuites(name: string, open: () => Promise<ApiTarget>) {
  describe(`admin API on ${name}`, () => {
    let target: ApiTarget;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(() => target?.close());
    const get = () => target;

    sessionSuite(get);
    sitesSuite(get);
    moderationSuite(get);
    accountsSuite(get);
    ownerReplySuite(get);
    burstsSuite(get);
  });
}
