/** The attendance-feedback email, in the plain notice shape. */
import { noticeTemplate } from './notice.js';

/** The monthly ask, and its one reminder (use-cases/attendance-feedback.ts). */
export const feedbackAsk = noticeTemplate('feedback-ask');
