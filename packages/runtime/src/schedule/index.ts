export {
  type AgendaEntry,
  type AgendaOptions,
  agenda,
  checkHealthInterval,
  type ScheduledActivity,
  type ScheduledRunRequest,
  type SchedulerCalendar,
} from "./agenda.js";
export {
  type HealthCheckOptions,
  type HealthReport,
  healthCheck,
  MAX_SCHEDULE_GAP_DAYS,
  scheduleSanity,
} from "./health.js";
export {
  createScheduler,
  type OneShotReport,
  type RunDueStepsOptions,
  runDueSteps,
  type ScheduleActions,
  type ScheduledAction,
  type ScheduledRun,
  type Scheduler,
  type SchedulerOptions,
} from "./scheduler.js";
export { type VirtualTime, virtualTime } from "./virtual-time.js";
