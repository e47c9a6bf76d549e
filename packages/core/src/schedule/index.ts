export {
  checkMonitorInterval,
  monitorInstants,
  nextScheduledStep,
  SCHEDULE_STEP_NAMES,
  SCHEDULE_STEPS,
  type ScheduleCalendar,
  type ScheduledStep,
  type ScheduleStepDefinition,
  type ScheduleStepName,
  sessionSchedule,
  stepKey,
  stepsDue,
} from "./session-schedule.js";
