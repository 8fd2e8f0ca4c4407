package herald;

import herald.auth.UserStore;
import herald.call.RecordingService;
import herald.message.ReceiptStore;
import herald.platform.Platform;
import herald.platform.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic clean-up that needs one owner per process: forgetting idle rate-limit windows, purging
 * revocations of login tokens that have expired anyway, and deleting call recordings past {@code
 * voice.recording_retention_days}.
 */
public final class HousekeepingVerticle extends VerticleBase {
  public static final String GROUP = "housekeeping";
  private static final Logger LOG = LoggerFactory.getLogger(HousekeepingVerticle.class);

  private final Platform platform;

  public HousekeepingVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    UserStore users = new UserStore(platform.pool());
    vertx.setPeriodic(60_000, id -> platform.rateLimits().sweep());
    vertx.setPeriodic(
        10_000,
        3_600_000,
        id -> {
          if (!platform.started().get()) {
            return; // the schema may not exist yet on a first start; the next round does it
          }
          users
              .purgeExpiredRevocations()
              .onSuccess(n -> LOG.debug("Purged {} expired token revocations", n))
              .onFailure(err -> LOG.warn("Purging token revocations failed: {}", err.getMessage()));
        });
    ReceiptStore receipts = new ReceiptStore(platform.pool());
    vertx.setPeriodic(
        20_000,
        3_600_000,
        id -> {
          if (!platform.started().get()) {
            return;
          }
          receipts
              .purgePendingReceipts(Duration.ofDays(3))
              .onSuccess(n -> LOG.debug("Dropped {} receipts that matched no message", n))
              .onFailure(err -> LOG.warn("Purging pending receipts failed: {}", err.getMessage()));
        });
    int retentionDays = platform.config().voice().recordingRetentionDays();
    if (retentionDays > 0) {
      RecordingService recordings = new RecordingService(vertx, platform.pool());
      vertx.setPeriodic(
          30_000,
          3_600_000,
          id -> {
            if (!platform.started().get()) {
              return;
            }
            recordings
                .sweep(Duration.ofDays(retentionDays))
                .onSuccess(n -> LOG.info("Deleted {} recordings past their retention", n))
                .onFailure(err -> LOG.warn("Sweeping recordings failed: {}", err.getMessage()));
          });
    }
    return Future.succeededFuture();
  }
}
