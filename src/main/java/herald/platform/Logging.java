package herald.platform;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Herald's logging set-up, found by Logback through {@code META-INF/services}: one line per event
 * on standard output through an asynchronous appender, so a slow terminal or pipe never stalls an
 * event loop. Built in code because parsing an XML configuration costs a noticeable part of
 * start-up.
 *
 * <p>Levels come from {@code HERALD_LOG_LEVEL} (root, default INFO) and {@code
 * HERALD_ACCESS_LOG_LEVEL} (the per-request access log, default INFO). An operator's own {@code
 * -Dlogback.configurationFile} takes precedence over all of this.
 */
public final class Logging extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(
        "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{24} - %msg%n");
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(console);
    async.start();

    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level("HERALD_LOG_LEVEL"));
    root.addAppender(async);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    context.getLogger("herald.access").setLevel(level("HERALD_ACCESS_LOG_LEVEL"));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Level level(String variable) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.trim(), Level.INFO);
  }
}
