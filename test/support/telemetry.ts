/** A Telemetry that keeps what it was told, in order: `email:<template>`, `answer:<purpose>`, `nudge:<rung>`. */
import type { Telemetry } from '../../functions/core/ports.js';

export function recordingTelemetry() {
  const counts: string[] = [];
  const telemetry: Telemetry = {
    emailSent: (template) => counts.push(`email:${template}`),
    answerRecorded: (purpose) => counts.push(`answer:${purpose}`),
    nudged: (rung) => counts.push(`nudge:${rung}`),
  };
  return { counts, telemetry };
}
