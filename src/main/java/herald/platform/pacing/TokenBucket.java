package herald.platform.pacing;

/**
 * A token bucket: tokens accrue at {@code rate} per second up to {@code burst}; it starts empty.
 * Time is passed in (nanoseconds from {@link System#nanoTime()}), so tests need no clock. Not
 * thread-safe: each bucket is used from its owner's event loop only.
 */
public final class TokenBucket {
  private double rate;
  private double burst;
  private double tokens;
  private long updatedNanos;

  public TokenBucket(double rate, double burst, long nowNanos) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = 0;
    this.updatedNanos = nowNanos;
  }

  public void setRate(double rate, double burst) {
    this.rate = rate;
    this.burst = burst;
  }

  private void refill(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - updatedNanos) * rate / 1e9);
    updatedNanos = nowNanos;
  }

  /** Whole tokens available now (not taken). */
  public int available(long nowNanos) {
    refill(nowNanos);
    return (int) Math.floor(tokens);
  }

  public void take(int n) {
    tokens -= n;
  }

  /** Gives back tokens that were taken for work that did not happen. */
  public void refund(int n) {
    tokens = Math.min(burst, tokens + n);
  }

  /** Milliseconds until one whole token is available (at least 1). */
  public long millisUntilNext(long nowNanos) {
    return millisUntil(1, nowNanos);
  }

  /** Milliseconds until {@code n} whole tokens are available (at least 1). */
  public long millisUntil(int n, long nowNanos) {
    refill(nowNanos);
    double missing = Math.min(n, burst) - tokens;
    return missing <= 0 ? 1 : Math.max(1, (long) Math.ceil(missing / rate * 1000));
  }
}
