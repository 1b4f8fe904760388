/** Monitoring and operations: the dashboard server, CLI actions and the summary log line. */
export { createMonitorServer, MONITOR_TIMEOUTS, type MonitorServer, type MonitorServerDeps } from './server.js';
export { pipelineStatus, JOB_STATES, type PipelineStatus, type StageStatus, type JobState } from './status.js';
export { createPipelineMetrics, METRIC_NAMES, type PipelineMetrics } from './metrics.js';
export { ReadinessCheck, type ReadinessResult } from './readiness.js';
export {
  formatStatusTable,
  listFailed,
  parseFailedReason,
  parseStage,
  pauseStage,
  resumeStage,
  retryJobs,
  type FailedJob,
  type RetriedJob,
  type RetryTarget,
} from './ops.js';
export { replayFailedFiles, type ReplayResult, type ReplayedFile } from './replay.js';
export { startSummaryLogger, summaryLine, type StageSummary } from './summary-logger.js';
export { startMonitoring, type RunningMonitor } from './start.js';
