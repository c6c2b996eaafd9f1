/** The clock every use case reads: the system's in AWS, a movable one locally and in tests. */

export interface Clock {
  now(): Date;
}
