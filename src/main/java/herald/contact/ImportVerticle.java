package herald.contact;

import herald.job.Job;
import herald.job.JobCounts;
import herald.job.JobStore;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.config.ContactsConfig;
import herald.platform.database.Outbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the contact imports accepted by this process, {@code contacts.import_concurrency} at a time
 * (the others wait as {@code queued}), each parsing on the {@code herald-contact-import} worker
 * pool and writing from this verticle's event loop ({@link ImportRun}). One instance per process:
 * the files are spooled on this node's disk.
 *
 * <p>Crashes: an import commits once, at the end, so a process that dies mid-import leaves nothing
 * of it in the database. The jobs a process holds are marked alive every third of {@code
 * contacts.import_stale_seconds}; every process sweeps unfinished jobs not marked for that long
 * into {@code failed} (error {@code interrupted}, with {@code contacts.import_failed}), at start-up
 * and periodically. Jobs are not resumed: the client uploads the file again. Stopping Herald fails
 * the queued jobs and interrupts the running ones (rolled back) the same way.
 */
public final class ImportVerticle extends VerticleBase {
  public static final String GROUP = "contact-import";
  private static final Logger LOG = LoggerFactory.getLogger(ImportVerticle.class);
  private static final long ORPHAN_FILE_AGE_MS = 3_600_000;
  private static final String STALE =
      "the Herald process that ran the import stopped or lost its database";

  private final Platform platform;
  private final Deque<UUID> queue = new ArrayDeque<>();
  private final Set<UUID> held = new LinkedHashSet<>();
  private final Map<UUID, Future<Void>> running = new HashMap<>();
  private ContactsConfig config;
  private JobStore jobs;
  private WorkerExecutor worker;
  private Path dir;
  private boolean stopping;

  public ImportVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    config = platform.config().contacts();
    jobs = new JobStore(platform.pool());
    dir = ImportRoutes.directory(platform.config());
    worker = vertx.createSharedWorkerExecutor("herald-contact-import", config.importConcurrency());
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    vertx
        .eventBus()
        .<String>localConsumer(
            Addresses.CONTACTS_IMPORT,
            message -> {
              if (stopping) {
                message.fail(503, "stopping");
                return;
              }
              UUID id = UUID.fromString(message.body());
              queue.add(id);
              held.add(id);
              message.reply("queued");
              drain();
            });
    long every = Math.max(1000, config.importStale().toMillis() / 3);
    vertx.setPeriodic(
        every,
        timer ->
            jobs.touch(new ArrayList<>(held))
                .compose(v -> sweep())
                .onFailure(err -> LOG.warn("Import job sweep failed: {}", err.getMessage())));
    return vertx.fileSystem().mkdirs(dir.toString()).compose(v -> sweep()).compose(v -> clean());
  }

  private void drain() {
    while (!stopping && running.size() < config.importConcurrency() && !queue.isEmpty()) {
      UUID id = queue.poll();
      Future<Void> run =
          new ImportRun(
                  vertx,
                  platform.pool(),
                  worker,
                  config.importBatchRows(),
                  id,
                  ImportRoutes.file(dir, id),
                  () -> stopping)
              .run();
      running.put(id, run);
      run.onComplete(
          x -> {
            running.remove(id);
            held.remove(id);
            drain();
          });
    }
  }

  /** Fails the unfinished jobs nobody has reported on lately, and drops their files if here. */
  private Future<Void> sweep() {
    return platform
        .pool()
        .withTransaction(
            tx ->
                JobStore.failStale(tx, config.importStale(), STALE + "; nothing was imported")
                    .compose(
                        failed -> {
                          Future<Void> events = Future.succeededFuture();
                          for (Job job : failed) {
                            events =
                                events.compose(
                                    v ->
                                        Outbox.append(
                                            tx,
                                            job.accountId(),
                                            ImportRun.FAILED_EVENT,
                                            job.id(),
                                            job.toJson()));
                          }
                          return events.map(failed);
                        }))
        .compose(
            failed -> {
              if (!failed.isEmpty()) {
                LOG.warn("Marked {} stale import jobs failed", failed.size());
              }
              List<Future<Void>> deletes = new ArrayList<>();
              failed.forEach(
                  job ->
                      deletes.add(
                          vertx
                              .fileSystem()
                              .delete(ImportRoutes.file(dir, job.id()).toString())
                              .otherwiseEmpty()));
              return Future.all(deletes).mapEmpty();
            });
  }

  /**
   * Removes spooled files left by a crash: those of jobs that have ended, and those of no job (an
   * upload cut off before its job was created) after an hour.
   */
  private Future<Void> clean() {
    return vertx
        .fileSystem()
        .readDir(dir.toString(), "[0-9a-f-]{36}\\.csv")
        .compose(
            paths -> {
              Map<UUID, String> files = new HashMap<>();
              for (String path : paths) {
                String name = Path.of(path).getFileName().toString();
                files.put(UUID.fromString(name.substring(0, 36)), path);
              }
              if (files.isEmpty()) {
                return Future.succeededFuture();
              }
              return jobs.states(new ArrayList<>(files.keySet()))
                  .compose(
                      states -> {
                        List<Future<Void>> deletes = new ArrayList<>();
                        files.forEach(
                            (id, path) -> {
                              String state = states.get(id);
                              if ("completed".equals(state) || "failed".equals(state)) {
                                deletes.add(vertx.fileSystem().delete(path).otherwiseEmpty());
                              } else if (state == null) {
                                deletes.add(deleteIfOld(path));
                              }
                            });
                        return Future.all(deletes).mapEmpty();
                      });
            });
  }

  private Future<Void> deleteIfOld(String path) {
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props ->
                System.currentTimeMillis() - props.lastModifiedTime() > ORPHAN_FILE_AGE_MS
                    ? vertx.fileSystem().delete(path)
                    : Future.succeededFuture())
        .otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    List<Future<Void>> ends = new ArrayList<>();
    for (UUID id : queue) {
      ends.add(
          ImportRun.markFailed(
                  platform.pool(),
                  id,
                  0,
                  JobCounts.ZERO,
                  "interrupted",
                  "Herald was stopped before the import started; nothing was imported")
              .otherwiseEmpty());
      ends.add(vertx.fileSystem().delete(ImportRoutes.file(dir, id).toString()).otherwiseEmpty());
    }
    queue.clear();
    ends.addAll(running.values());
    return Future.all(ends)
        .timeout(30, TimeUnit.SECONDS)
        .otherwiseEmpty()
        .compose(v -> worker.close());
  }
}
