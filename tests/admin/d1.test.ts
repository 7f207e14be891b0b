import { describe } from 'vitest';
import { openWorkerTarget, workerdAvailable } from '../support/workerd.ts';
import { adminSuites } from './suites.ts';

describe.runIf(workerdAvailable)('D1 in workerd', () => {
  adminSuites('D1 in workerd', openWorkerTarget);
});
