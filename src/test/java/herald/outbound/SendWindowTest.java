package herald.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class SendWindowTest {
  @Test
  void aFullWindowMakesSendsWaitAndHandsFreedSlotsOnInOrder() {
    SendWindow window = new SendWindow(2);
    assertThat(window.acquire().succeeded()).isTrue();
    assertThat(window.acquire().succeeded()).isTrue();
    Future<Void> third = window.acquire();
    Future<Void> fourth = window.acquire();
    assertThat(third.isComplete()).isFalse();
    assertThat(fourth.isComplete()).isFalse();

    window.release();
    assertThat(third.succeeded()).isTrue();
    assertThat(fourth.isComplete()).isFalse();

    window.release();
    assertThat(fourth.succeeded()).isTrue();
    window.release();
    window.release();
    // both slots free again: two more pass at once, the next waits
    assertThat(window.acquire().succeeded()).isTrue();
    assertThat(window.acquire().succeeded()).isTrue();
    assertThat(window.acquire().isComplete()).isFalse();
  }
}
