package herald.platform.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket, with time passed in: no clock, no sleeping. */
class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void startsEmptyAndAccruesAtItsRate() {
    TokenBucket bucket = new TokenBucket(100, 50, 0);
    assertThat(bucket.available(0)).isZero();
    assertThat(bucket.available(SECOND / 10)).isEqualTo(10);
  }

  @Test
  void neverHoldsMoreThanItsBurst() {
    TokenBucket bucket = new TokenBucket(100, 5, 0);
    assertThat(bucket.available(10 * SECOND)).isEqualTo(5);
  }

  @Test
  void takenTokensAreGoneAndRefundsComeBackUpToTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 10, 0);
    assertThat(bucket.available(SECOND)).isEqualTo(10);
    bucket.take(8);
    assertThat(bucket.available(SECOND)).isEqualTo(2);
    bucket.refund(20);
    assertThat(bucket.available(SECOND)).isEqualTo(10);
  }

  @Test
  void saysHowLongUntilEnoughTokensAccrue() {
    TokenBucket bucket = new TokenBucket(10, 10, 0);
    assertThat(bucket.millisUntilNext(0)).isEqualTo(100);
    assertThat(bucket.millisUntil(5, 0)).isEqualTo(500);
    // asking for more than the burst waits for a full bucket, not forever
    assertThat(bucket.millisUntil(50, 0)).isEqualTo(1000);
    assertThat(bucket.millisUntil(1, SECOND)).isEqualTo(1);
  }

  @Test
  void aNewRateAppliesFromNowOn() {
    TokenBucket bucket = new TokenBucket(10, 100, 0);
    assertThat(bucket.available(SECOND)).isEqualTo(10);
    bucket.setRate(100, 100);
    assertThat(bucket.available(2 * SECOND)).isEqualTo(100);
  }
}
