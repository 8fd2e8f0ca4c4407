package herald.call;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.channel.voice.ari.AriFiles;
import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recordings' files and deletion: a download streams Asterisk's stored recording through Herald; a
 * delete removes it from Asterisk, then from Herald (with its audit entry); the retention sweep
 * deletes the expired ones the same way.
 */
public final class RecordingService {
  private static final Logger LOG = LoggerFactory.getLogger(RecordingService.class);
  private static final int SWEEP_BATCH = 200;

  private final Pool pool;
  private final RecordingStore recordings;
  private final SenderStore senders;
  private final AriFiles files;

  public RecordingService(Vertx vertx, Pool pool) {
    this.pool = pool;
    this.recordings = new RecordingStore(pool);
    this.senders = new SenderStore(pool);
    this.files = new AriFiles(vertx);
  }

  /**
   * Streams the account's recording into {@code out}: 404 for another account's id or a file
   * Asterisk no longer has, 409 while it is still recording, 503 when Asterisk cannot be reached
   * (nothing written then).
   */
  public Future<Void> download(UUID accountId, UUID id, HttpServerResponse out) {
    return recordings
        .get(accountId, id)
        .compose(
            recording -> {
              Responses.found(recording, "Recording");
              if ("recording".equals(recording.state())) {
                throw ApiException.conflict("The recording is still in progress");
              }
              return senders
                  .byId(recording.senderId())
                  .compose(
                      sender -> {
                        if (sender == null) {
                          throw ApiException.notFound("The recording's sender no longer exists");
                        }
                        return files
                            .download(sender.toChannelSender(), recording.name(), out)
                            .recover(err -> Future.failedFuture(problem(err, out)));
                      });
            });
  }

  private static Throwable problem(Throwable err, HttpServerResponse out) {
    if (out.headWritten()) {
      return err; // cut off mid-file: the connection is reset by the caller
    }
    if (err instanceof AriFiles.Refused refused && refused.status() == 404) {
      return ApiException.notFound("Asterisk no longer has the recording's file");
    }
    return ApiException.unavailable("Asterisk could not be reached: " + err.getMessage());
  }

  /** Deletes the account's recording in Asterisk, then in Herald; 404 for another account's. */
  public Future<Void> delete(Actor actor, UUID id) {
    return recordings
        .get(actor.accountId(), id)
        .compose(
            recording -> {
              Responses.found(recording, "Recording");
              return deleteInAsterisk(recording)
                  .recover(
                      err ->
                          Future.failedFuture(
                              ApiException.unavailable(
                                  "Asterisk could not delete the recording: " + err.getMessage())))
                  .compose(
                      v ->
                          pool.withTransaction(
                              tx ->
                                  tx.preparedQuery("DELETE FROM recordings WHERE id = $1")
                                      .execute(io.vertx.sqlclient.Tuple.of(id))
                                      .compose(
                                          rows ->
                                              AuditStore.record(
                                                  tx,
                                                  actor,
                                                  "delete",
                                                  "recording",
                                                  id,
                                                  recording.toJson(),
                                                  null))));
            });
  }

  private Future<Void> deleteInAsterisk(Recording recording) {
    return senders
        .byId(recording.senderId())
        .compose(
            sender ->
                sender == null
                    ? Future.succeededFuture()
                    : files.delete(sender.toChannelSender(), recording.name()));
  }

  /**
   * Deletes recordings older than {@code retention} (in Asterisk, then in Herald), a batch at a
   * time; a recording Asterisk cannot delete now stays for the next sweep. Answers how many went.
   */
  public Future<Integer> sweep(Duration retention) {
    return recordings
        .expired(Instant.now().minus(retention), SWEEP_BATCH)
        .compose(
            expired -> {
              Future<Integer> done = Future.succeededFuture(0);
              for (Recording recording : expired) {
                done =
                    done.compose(
                        n ->
                            deleteInAsterisk(recording)
                                .compose(v -> recordings.delete(recording.id()))
                                .map(deleted -> n + (deleted ? 1 : 0))
                                .otherwise(
                                    err -> {
                                      LOG.warn(
                                          "Recording {} could not be deleted: {}",
                                          recording.id(),
                                          err.getMessage());
                                      return n;
                                    }));
              }
              return done;
            });
  }
}
