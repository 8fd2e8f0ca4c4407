package herald.platform.metrics;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures event-loop lag: posts a no-op task to every event loop and records how long it waited
 * before it ran. A loop kept busy by long handlers (or, worse, blocked) shows it here first.
 */
public final class EventLoopProbe {
  public static final long PERIOD_MS = 1000;

  private final List<EventExecutor> loops = new ArrayList<>();

  public EventLoopProbe(EventLoopGroup group) {
    group.forEach(loops::add);
  }

  public void probe(Sampled sampled) {
    for (int i = 0; i < loops.size(); i++) {
      int loop = i;
      long posted = System.nanoTime();
      loops.get(i).execute(() -> sampled.eventLoopLag(loop, System.nanoTime() - posted));
    }
  }
}
