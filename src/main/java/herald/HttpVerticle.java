package herald;

import herald.platform.Platform;
import herald.platform.bus.Addresses;
import herald.platform.config.StartFailure;
import herald.platform.http.ProblemHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * HTTP ingress. Deployed with several instances; Vert.x spreads connections over them, each on its
 * own event loop. Stopping it refuses new connections and lets in-flight requests finish within
 * {@code http.shutdown_timeout_seconds}.
 */
public final class HttpVerticle extends VerticleBase {
  public static final String GROUP = "http";

  private final Platform platform;
  private HttpServer server;

  public HttpVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().consumer(Addresses.health(GROUP), message -> message.reply("ok"));
    var config = platform.config().http();
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setCompressionSupported(true)
                .setIdleTimeout(120));
    return server
        .requestHandler(ApiRouter.build(vertx, platform))
        .invalidRequestHandler(ProblemHandler::invalidRequest)
        .listen()
        .recover(
            err ->
                Future.failedFuture(
                    StartFailure.listening("http.port", config.host(), config.port(), err)))
        .onSuccess(s -> platform.httpPort().compareAndSet(0, s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(platform.config().http().shutdownTimeoutSeconds(), TimeUnit.SECONDS);
  }
}
