import type { Stage } from '../../src/config.js';
import type { JobRun, StageCounters } from '../context.js';
import { processIntake } from './intake.js';
import { processClean } from './clean.js';
import { processSplit } from './split.js';
import { processDedupe } from './dedupe.js';
import { processClassify } from './classify.js';
import { processStore } from './store.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyProcessor = (payload: any, ctx: JobRun) => Promise<StageCounters>;

export const PROCESSORS: Readonly<Record<Stage, AnyProcessor>> = Object.freeze({
  intake: processIntake,
  clean: processClean,
  split: processSplit,
  dedupe: processDedupe,
  classify: processClassify,
  store: processStore,
});
