package io.hps.study;

/**
 * The one table of size limits for study files: every read of a study file goes through
 * {@link StudyDirectory}'s typed reads, which refuse a file over its limit (quarantined where it is
 * input from another process). PROTOCOL.md lists the same numbers.
 */
public final class Limits {
  private Limits() {}

  /** {@code study.json}, which holds the search space; also the largest space file accepted. */
  public static final long STUDY = 1 << 20;
  /** {@code master.json}. */
  public static final long MASTER = 1 << 20;
  /** {@code workers/<id>.json}. */
  public static final long WORKER_STATUS = 1 << 20;
  /** A setting in {@code pending/}, {@code claimed/} or {@code requeue/}. */
  public static final long SETTING = 1 << 20;
  /** A result in {@code results/}. */
  public static final long RESULT = 16 << 20;
  /** A batch in {@code batches/}: up to 10,000 settings. */
  public static final long BATCH = 64L << 20;
  /** {@code progress/<id>.json}. */
  public static final long PROGRESS = 1 << 20;
  /** {@code stop/<id>.json}. */
  public static final long STOP_REQUEST = 1 << 16;
}
