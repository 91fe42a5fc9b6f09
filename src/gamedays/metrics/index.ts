export { deriveMetrics, type Measure, type SessionMetrics } from "./derive.ts";
export {
  buildReport,
  type Group,
  METRIC_NAMES,
  type MetricName,
  type MetricsReport,
  type PersonGroup,
  type SessionSummary,
  summarise,
  type Trend,
} from "./trends.ts";
