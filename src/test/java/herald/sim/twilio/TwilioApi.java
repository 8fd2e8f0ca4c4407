package herald.sim.twilio;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/** Test-side Twilio REST client: starts simulators for one account and calls them, blocking. */
final class TwilioApi {
  static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  static final String TOKEN = "0123456789abcdef0123456789abcdef";

  private final Vertx vertx;
  private final WebClient client;

  TwilioApi(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
  }

  /** A simulator for {@link #ACCOUNT} with callbacks 50 ms apart. */
  TwilioSimulator start(Duration latency, double failures, double undelivered) {
    Duration callbackDelay = Duration.ofMillis(50);
    return TwilioSimulator.start(
            vertx,
            new TwilioSimConfig(
                "127.0.0.1", 0, ACCOUNT, TOKEN, latency, failures, callbackDelay, undelivered))
        .await();
  }

  static MultiMap form(String... namesAndValues) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      form.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return form;
  }

  /** Creates a message on {@code account}'s path; {@code user} null sends no credentials. */
  HttpResponse<Buffer> create(
      TwilioSimulator sim, String account, String user, String password, MultiMap form) {
    String url = sim.baseUrl() + "/2010-04-01/Accounts/" + account + "/Messages.json";
    return authenticated(client.postAbs(url), user, password).sendForm(form).await();
  }

  /** Creates a message with the right account and credentials. */
  HttpResponse<Buffer> create(TwilioSimulator sim, MultiMap form) {
    return create(sim, ACCOUNT, ACCOUNT, TOKEN, form);
  }

  /** Fetches a message resource with the right credentials. */
  HttpResponse<Buffer> fetch(TwilioSimulator sim, String sid) {
    String url = sim.baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT + "/Messages/" + sid + ".json";
    return authenticated(client.getAbs(url), ACCOUNT, TOKEN).send().await();
  }

  /** Posts a JSON body, as a misconfigured client would. */
  HttpResponse<Buffer> createWithJson(TwilioSimulator sim, JsonObject body) {
    String url = sim.baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json";
    return authenticated(client.postAbs(url), ACCOUNT, TOKEN).sendJsonObject(body).await();
  }

  private static HttpRequest<Buffer> authenticated(
      HttpRequest<Buffer> request, String user, String password) {
    return user == null ? request : request.basicAuthentication(user, password);
  }
}
