package herald.sim.twilio;

import herald.channel.sms.twilio.TwilioSignature;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A local HTTP server that records every form POST it gets and answers with a fixed TwiML body. */
final class WebhookReceiver {
  /** One received request: the raw headers and the decoded form. */
  record Received(MultiMap headers, Map<String, String> form, String contentType) {
    String signature() {
      return headers.get(TwilioSignature.HEADER);
    }
  }

  static final String TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final HttpServer server;

  private WebhookReceiver(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    router
        .post()
        .handler(
            ctx -> {
              Map<String, String> form = new LinkedHashMap<>();
              ctx.request().formAttributes().forEach(e -> form.put(e.getKey(), e.getValue()));
              MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().headers());
              received.add(new Received(headers, form, ctx.request().getHeader("Content-Type")));
              ctx.response().putHeader("Content-Type", "text/xml").end(TWIML);
            });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  static WebhookReceiver start(Vertx vertx) {
    return new WebhookReceiver(vertx);
  }

  /** Absolute URL of a path on this receiver. */
  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.actualPort() + pathAndQuery;
  }

  /** The next request, waiting up to five seconds; fails the test if none comes. */
  Received next() throws InterruptedException {
    Received next = received.poll(5, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("no webhook arrived within 5 s");
    }
    return next;
  }

  /** The next request if one comes within {@code millis}, else null. */
  Received poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }
}
