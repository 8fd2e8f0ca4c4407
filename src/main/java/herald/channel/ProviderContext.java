package herald.channel;

import io.vertx.core.Context;

/**
 * What a provider is opened with.
 *
 * @param context the owning lane's context: the provider's futures and timers run on it
 * @param sink where it hands receipts and inbound messages
 * @param publicUrl Herald's public base URL (for callback URLs given to the provider)
 * @param progress where it reports interim states of items that take time (calls)
 */
public record ProviderContext(
    Context context, InboundSink sink, String publicUrl, ProgressSink progress) {

  /** A context without interim states ({@link ProgressSink#NONE}). */
  public ProviderContext(Context context, InboundSink sink, String publicUrl) {
    this(context, sink, publicUrl, ProgressSink.NONE);
  }
}
