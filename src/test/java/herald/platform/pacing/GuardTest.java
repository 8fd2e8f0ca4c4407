package herald.platform.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard (circuit breaker) around calls that answer results. */
class GuardTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Guard<String> guard(int maxFailures, Duration reset) {
    return new Guard<>(
        vertx, "test", maxFailures, reset, answer -> answer.startsWith("bad"), err -> "open");
  }

  /** Runs a call on an event loop, as lanes do, and waits for its answer. */
  private String call(Guard<String> guard, String answer, AtomicInteger calls) {
    Promise<String> done = Promise.promise();
    vertx.runOnContext(
        x ->
            guard
                .call(
                    () -> {
                      calls.incrementAndGet();
                      return Future.succeededFuture(answer);
                    })
                .onComplete(done));
    return done.future().await();
  }

  @Test
  void passesFailureAnswersThroughUntilTheCircuitOpensThenAnswersWithoutCalling() {
    Guard<String> guard = guard(3, Duration.ofMinutes(1));
    AtomicInteger calls = new AtomicInteger();
    assertThat(call(guard, "bad 1", calls)).isEqualTo("bad 1");
    assertThat(call(guard, "bad 2", calls)).isEqualTo("bad 2");
    assertThat(guard.state()).isEqualTo("closed");
    assertThat(call(guard, "bad 3", calls)).isEqualTo("bad 3");
    assertThat(guard.state()).isEqualTo("open");
    assertThat(call(guard, "good", calls)).isEqualTo("open");
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void aGoodAnswerResetsTheRunOfFailures() {
    Guard<String> guard = guard(2, Duration.ofMinutes(1));
    AtomicInteger calls = new AtomicInteger();
    call(guard, "bad", calls);
    call(guard, "good", calls);
    call(guard, "bad", calls);
    assertThat(guard.state()).isEqualTo("closed");
  }

  @Test
  void afterTheResetTimeoutOneGoodTrialClosesTheCircuit() {
    Guard<String> guard = guard(1, Duration.ofMillis(200));
    AtomicInteger calls = new AtomicInteger();
    call(guard, "bad", calls);
    assertThat(guard.state()).isEqualTo("open");
    Await.until(
        "the circuit to half-open", Duration.ofSeconds(5), () -> guard.state().equals("half_open"));
    assertThat(call(guard, "good", calls)).isEqualTo("good");
    assertThat(guard.state()).isEqualTo("closed");
  }

  @Test
  void workThatFailsOutrightCountsAsAFailureAndAnswersTheOpenAnswer() {
    Guard<String> guard = guard(5, Duration.ofMinutes(1));
    Promise<String> done = Promise.promise();
    vertx.runOnContext(
        x ->
            guard
                .call(() -> Future.failedFuture(new IllegalStateException("boom")))
                .onComplete(done));
    assertThat(done.future().await()).isEqualTo("open");
  }

  @Test
  void tellsItsOwnerWhenTheCircuitHalfOpens() {
    Guard<String> guard = guard(1, Duration.ofMillis(200));
    AtomicInteger halfOpened = new AtomicInteger();
    guard.onHalfOpen(halfOpened::incrementAndGet);
    call(guard, "bad", new AtomicInteger());
    assertThat(halfOpened.get()).isZero();
    Await.until("the half-open notice", Duration.ofSeconds(5), () -> halfOpened.get() == 1);
    assertThat(guard.state()).isEqualTo("half_open");
  }

  @Test
  void aResetClosesAnOpenCircuitAndCallsGoThroughAgain() {
    Guard<String> guard = guard(1, Duration.ofMinutes(1));
    AtomicInteger calls = new AtomicInteger();
    call(guard, "bad", calls);
    assertThat(guard.state()).isEqualTo("open");
    guard.reset();
    assertThat(guard.state()).isEqualTo("closed");
    assertThat(call(guard, "good", calls)).isEqualTo("good");
    assertThat(calls.get()).isEqualTo(2);
  }
}
