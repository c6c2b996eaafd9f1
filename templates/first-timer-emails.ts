/** The first-timer emails, in the plain notice shape. */
import { noticeTemplate } from './notice.js';

/** To a volunteer named first-timer contact (or to the director, to pass on): please confirm. */
export const firstTimerConfirm = noticeTemplate('first-timer-confirm');
/** Before the Saturday: to the champion, whom newcomers should look for; to the first-timer contact, how many to expect. */
export const newcomerNotice = noticeTemplate('newcomer-notice');
