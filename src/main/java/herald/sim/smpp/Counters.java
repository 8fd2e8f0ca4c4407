package herald.sim.smpp;

import java.util.concurrent.atomic.LongAdder;

/** The simulator's event counters, shared by its parts; every method is thread-safe. */
final class Counters {
  final LongAdder binds = new LongAdder();
  final LongAdder submitsAccepted = new LongAdder();
  final LongAdder submitsRejected = new LongAdder();
  final LongAdder receiptsSent = new LongAdder();
  final LongAdder moSent = new LongAdder();
  final LongAdder enquireLinks = new LongAdder();
}
