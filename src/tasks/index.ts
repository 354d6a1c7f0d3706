export { isTerminal, TASK_LIMITS, TaskCancelled, TaskLimitError, TaskStore } from "./task-store.js";
export type { TaskError, TaskHandle, TaskInputRequest, TaskLimits, TaskResult, TaskSnapshot, TaskStatus } from "./task-store.js";
export { declaresTasksExtension, isModernRequest, registerTaskMethods } from "./methods.js";
export {
  detailedTaskV2,
  MISSING_REQUIRED_CLIENT_CAPABILITY,
  MODEL_IMMEDIATE_RESPONSE_META_KEY,
  RELATED_TASK_META_KEY,
  TASKS_CAPABILITY_2025,
  TASKS_EXTENSION,
  taskV1,
  taskV2,
} from "./wire.js";
