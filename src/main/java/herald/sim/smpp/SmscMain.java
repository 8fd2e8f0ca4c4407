package herald.sim.smpp;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SMSC simulator as a process of its own, for benchmarks that kill or pause Herald and the SMSC
 * independently ({@code bench/}). Besides SMPP it answers on a loopback HTTP port:
 *
 * <ul>
 *   <li>{@code GET /stats}: the simulator's counters, plus how many distinct messages were
 *       submitted (by destination and octets), how many submits repeated one already seen, the
 *       first and last submit times, the most submits seen in any one wall-clock second, and the
 *       binds accepted since start;
 *   <li>{@code POST /pause}, {@code POST /resume}: an outage, as {@link SmscSimulator#pause()}.
 * </ul>
 *
 * <p>Arguments: SMPP port, HTTP port, submit latency ms, receipt delay ms.
 */
public final class SmscMain {
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final LongAdder repeats = new LongAdder();
  private final AtomicLong firstMillis = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastMillis = new AtomicLong();
  private final ConcurrentHashMap<Long, LongAdder> perSecond = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int smppPort = Integer.parseInt(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    SmscConfig config =
        SmscConfig.localDefaults()
            .withPort(smppPort)
            .withMaxBinds(16)
            .withBehaviour(
                Duration.ofMillis(Long.parseLong(args[2])),
                0.0,
                Duration.ofMillis(Long.parseLong(args[3])),
                0.0);
    SmscSimulator smsc = SmscSimulator.start(config);
    SmscMain main = new SmscMain();
    smsc.onSubmit(main::count);
    Vertx vertx = Vertx.vertx();
    vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              switch (request.method().name() + " " + request.path()) {
                case "GET /stats" -> request.response().end(main.stats(smsc).encode());
                case "POST /pause" -> {
                  smsc.pause();
                  request.response().end("paused");
                }
                case "POST /resume" -> {
                  try {
                    smsc.resume();
                    request.response().end("resumed");
                  } catch (Exception e) {
                    request.response().setStatusCode(500).end(e.getMessage());
                  }
                }
                default -> request.response().setStatusCode(404).end();
              }
            })
        .listen(httpPort, "127.0.0.1")
        .await();
    System.out.println("SMSC simulator: SMPP on " + smsc.port() + ", stats on " + httpPort);
    Runtime.getRuntime().addShutdownHook(new Thread(smsc::close));
    Thread.currentThread().join();
  }

  private void count(SmscSimulator.Submitted s) {
    String key =
        s.destination()
            + "|"
            + s.concatSeq()
            + "|"
            + new String(s.shortMessage(), java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!seen.add(key)) {
      repeats.increment();
    }
    long millis = s.at().toEpochMilli();
    firstMillis.accumulateAndGet(millis, Math::min);
    lastMillis.accumulateAndGet(millis, Math::max);
    perSecond.computeIfAbsent(millis / 1000, k -> new LongAdder()).increment();
  }

  private JsonObject stats(SmscSimulator smsc) {
    SmscSimulator.Stats stats = smsc.stats();
    long busiest = perSecond.values().stream().mapToLong(LongAdder::sum).max().orElse(0);
    return new JsonObject()
        .put("submits_accepted", stats.submitsAccepted())
        .put("distinct_submits", seen.size())
        .put("repeated_submits", repeats.sum())
        .put("receipts_sent", stats.receiptsSent())
        .put("deliver_sm_pending", stats.deliverSmPending())
        .put("bound_sessions", smsc.boundSessions())
        .put("binds", stats.binds())
        .put("first_submit_ms", stats.submitsAccepted() == 0 ? null : firstMillis.get())
        .put("last_submit_ms", stats.submitsAccepted() == 0 ? null : lastMillis.get())
        .put("busiest_second", busiest);
  }
}
