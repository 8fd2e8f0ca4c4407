package herald;

import herald.platform.Platform;
import herald.platform.config.ConfigException;
import herald.platform.config.ConfigLoader;
import herald.platform.config.HeraldConfig;
import herald.platform.config.StartFailure;
import herald.platform.metrics.Metrics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/**
 * {@code java -jar herald.jar [--config path]}: loads the configuration ({@code --config}, else
 * {@code HERALD_CONFIG}, else {@code config/herald.yaml} if present), starts Herald, and on SIGTERM
 * or SIGINT stops it gracefully and exits 0. Exits 2 on a configuration error and 1 if start-up
 * fails, after one log line naming the cause and the setting to change and after stopping what it
 * had started (the embedded PostgreSQL included): never a half-started process.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Path DEFAULT_CONFIG = Path.of("config", "herald.yaml");

  /** Covers a first start (unpacking PostgreSQL, initdb, migrations) on a slow disk. */
  private static final long START_TIMEOUT_MINUTES = 5;

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Path configPath = DEFAULT_CONFIG;
    boolean required = false;
    String fromEnv = System.getenv("HERALD_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      configPath = Path.of(fromEnv);
      required = true;
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configPath = Path.of(args[++i]);
        required = true;
      } else if (args[i].startsWith("--config=")) {
        configPath = Path.of(args[i].substring("--config=".length()));
        required = true;
      } else {
        System.err.println("Usage: java -jar herald.jar [--config path/to/herald.yaml]");
        System.exit(2);
      }
    }

    Metrics metrics = Metrics.create();
    Vertx vertx = metrics.newVertx();
    HeraldConfig config;
    try {
      config = ConfigLoader.load(vertx, configPath, required, System.getenv()).await();
    } catch (ConfigException e) {
      System.err.println("Herald cannot start: " + e.getMessage());
      vertx.close();
      System.exit(2);
      return;
    }

    // Signals are handled from before the start: a SIGTERM while Herald starts (or the instant it
    // turns ready) stops it as soon as it is up, instead of killing the JVM with PostgreSQL
    // running.
    AtomicReference<Herald> running = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable shutdown =
        () -> {
          if (!stopping.compareAndSet(false, true)) {
            return;
          }
          LOG.info("Shutting down");
          int code = 0;
          try {
            running
                .get()
                .stop()
                .await(config.http().shutdownTimeoutSeconds() + 30L, TimeUnit.SECONDS);
            vertx.close().await(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            LOG.error("Unclean shutdown", e);
            code = 1;
          }
          LOG.info("Stopped");
          System.exit(code);
        };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal ->
              new Thread(
                      () -> {
                        stopRequested.set(true);
                        if (running.get() != null) {
                          shutdown.run();
                        }
                      },
                      "herald-shutdown")
                  .start());
    }

    Herald herald;
    try {
      // Herald.start stops whatever it started (the embedded PostgreSQL included) before it fails.
      herald =
          Herald.start(vertx, config, java.time.Clock.systemUTC(), metrics)
              .await(START_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (Throwable e) { // await() rethrows checked causes (IOException) unchecked
      Throwable cause =
          e instanceof java.util.concurrent.TimeoutException
              ? new StartFailure(null, "not ready within " + START_TIMEOUT_MINUTES + " minutes", e)
              : e;
      if (cause instanceof StartFailure) {
        LOG.error("Herald cannot start: {}", cause.getMessage());
        LOG.debug("Start-up failure", cause);
      } else {
        LOG.error("Herald cannot start: {}", StartFailure.describe(cause), cause);
      }
      // Herald.start has stopped what it started; closing Vert.x as well would only log the
      // failures of deployments still under way below the one clear line.
      System.exit(1);
      return;
    }
    running.set(herald);
    if (stopRequested.get()) {
      shutdown.run(); // a signal came while starting
      return;
    }
    long sinceProcessStart =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(t -> System.currentTimeMillis() - t.toEpochMilli())
            .orElse(-1L);
    LOG.info(
        "Herald {} ready on port {} in {} ms ({} ms since the process started; data in {})",
        Platform.currentVersion(),
        herald.port(),
        (System.nanoTime() - started) / 1_000_000,
        sinceProcessStart,
        config.dataDir());

    // Last resort if the JVM exits some other way: still stop the embedded PostgreSQL.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    herald.stop().await(20, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // exiting anyway
                  }
                },
                "herald-exit"));
  }
}
