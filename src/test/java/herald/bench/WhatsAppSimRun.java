package herald.bench;

import herald.sim.whatsapp.WhatsAppSimConfig;
import herald.sim.whatsapp.WhatsAppSimulator;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The WhatsApp Cloud API simulator as a process of its own, for {@code bench/whatsapp-campaign.sh}:
 * the simulator's defaults (account, number, token, app secret, templates) on {@code PORT}, its
 * status webhooks to {@code WEBHOOK_URL}, a fraction {@code UNDELIVERABLE} of accepted messages
 * ending {@code failed} with Cloud API error 131026 and a fraction {@code READ} read. Its own
 * {@code GET /_sim/messages} lists what it accepted, each with {@code accepted_at}.
 *
 * <p>Arguments: PORT WEBHOOK_URL UNDELIVERABLE READ
 */
public final class WhatsAppSimRun {
  private WhatsAppSimRun() {}

  public static void main(String[] args) throws Exception {
    WhatsAppSimConfig config =
        WhatsAppSimConfig.defaults().toBuilder()
            .port(Integer.parseInt(args[0]))
            .webhookUrl(args[1])
            .undeliverableRate(Double.parseDouble(args[2]))
            .readRate(Double.parseDouble(args[3]))
            .statusDelays(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500))
            .webhookRetries(6, Duration.ofMillis(500))
            .build();
    Vertx vertx = Vertx.vertx();
    WhatsAppSimulator sim = WhatsAppSimulator.start(vertx, config).await();
    System.out.println("WhatsApp Cloud API simulator on " + sim.baseUrl());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> sim.close().await()));
    Thread.currentThread().join();
  }
}
