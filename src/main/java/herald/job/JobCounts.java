package herald.job;

/**
 * Row counters of a job. {@code read = imported + updated + skipped + failed} once it completes.
 *
 * @param read data rows read (the header excluded)
 * @param imported new records created
 * @param updated existing records changed
 * @param skipped rows left out by the duplicate policy
 * @param failed rows refused as invalid
 */
public record JobCounts(long read, long imported, long updated, long skipped, long failed) {
  public static final JobCounts ZERO = new JobCounts(0, 0, 0, 0, 0);

  public JobCounts plus(JobCounts o) {
    return new JobCounts(
        read + o.read,
        imported + o.imported,
        updated + o.updated,
        skipped + o.skipped,
        failed + o.failed);
  }

  /** The same rows read and refused, with nothing written (an import that was rolled back). */
  public JobCounts rolledBack() {
    return new JobCounts(read, 0, 0, 0, failed);
  }
}
