package herald.campaign;

import io.vertx.core.Future;

/** One running campaign on its engine verticle's event loop: SMS/WhatsApp or voice. */
interface Runner {
  /** One step of work, if the previous one has finished. */
  void tick();

  void stop();

  /** Stops; completes once a step under way has finished (its transaction committed or not). */
  Future<Void> halt();

  boolean stopped();
}
