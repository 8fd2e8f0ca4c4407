package herald.contact;

import herald.audit.Actor;
import herald.job.Job;
import herald.job.JobCounts;
import herald.job.JobStore;
import herald.platform.bus.Addresses;
import herald.platform.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Queues a {@code contacts.import} job for a file already spooled and inspected, then hands it to
 * this process's importer (a local request on {@link Addresses#CONTACTS_IMPORT}).
 */
final class ImportService {
  private final Vertx vertx;
  private final Pool pool;

  ImportService(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /**
   * Inserts the job (with its target group: the client's, 422 if not the account's, or seed 000's
   * list named after the file) and hands it to the importer; 503 if no importer takes it.
   */
  Future<Job> queue(
      Actor actor,
      UUID jobId,
      ImportOptions options,
      ImportReader.Inspection inspection,
      long size,
      boolean seedList) {
    return pool.withTransaction(
            tx ->
                target(tx, actor.accountId(), options, seedList)
                    .compose(
                        group ->
                            JobStore.insert(
                                tx,
                                jobId,
                                actor.accountId(),
                                Job.CONTACTS_IMPORT,
                                options
                                    .withGroup(group)
                                    .toJson()
                                    .put("columns", inspection.columns().describe()),
                                actor.toJson(),
                                size)))
        .compose(this::handOff);
  }

  /** The group the rows join: the client's (422 if not the account's), or seed 000's list. */
  private static Future<UUID> target(
      SqlClient tx, UUID accountId, ImportOptions options, boolean seedList) {
    if (options.groupId() != null) {
      return ImportStore.groupOf(tx, accountId, options.groupId())
          .map(
              found -> {
                if (found == null) {
                  throw ApiException.validation(
                      "group_id", "not_found", "no such group: " + options.groupId());
                }
                return found;
              });
    }
    if (!seedList) {
      return Future.succeededFuture(null);
    }
    String name =
        options.fileName() != null
            ? options.fileName()
            : "CSV upload " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return ImportStore.groupNamed(
        tx,
        accountId,
        name.length() > 200 ? name.substring(0, 200) : name,
        "Uploaded contact list");
  }

  /** Gives the job to this process's importer; if none takes it, the job fails and 503. */
  private Future<Job> handOff(Job job) {
    return vertx
        .eventBus()
        .request(
            Addresses.CONTACTS_IMPORT,
            job.id().toString(),
            new DeliveryOptions().setSendTimeout(5000).setLocalOnly(true))
        .map(reply -> job)
        .recover(
            err ->
                ImportRun.markFailed(
                        pool,
                        job.id(),
                        0,
                        JobCounts.ZERO,
                        "interrupted",
                        "the importer did not take the job (Herald is stopping); nothing was"
                            + " imported")
                    .transform(
                        x ->
                            Future.failedFuture(
                                ApiException.unavailable(
                                    "The importer is not available; try again shortly"))));
  }
}
