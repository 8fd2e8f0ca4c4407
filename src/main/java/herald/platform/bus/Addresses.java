package herald.platform.bus;

/** Event-bus addresses, in one place. Nothing sent here must survive a crash. */
public final class Addresses {
  /** Published when a sender is created, changed or deactivated (body: sender id). */
  public static final String SENDERS_CHANGED = "herald.senders.changed";

  /** Published when messages are queued (body: sender id), so its lane claims them at once. */
  public static final String MESSAGES_QUEUED = "herald.messages.queued";

  /**
   * Request/reply, local: a delivery receipt from an HTTP provider callback (JSON), for any lane
   * verticle's inbound sink; replied once committed.
   */
  public static final String INBOUND_RECEIPT = "herald.inbound.receipt";

  /**
   * Request/reply, local: an inbound message from an HTTP provider callback (JSON), for any lane
   * verticle's inbound sink; replied once stored and handled.
   */
  public static final String INBOUND_MESSAGE = "herald.inbound.message";

  /**
   * Request/reply, local: a status report (sent, delivered, read, failed) from an HTTP provider
   * callback (JSON), for any lane verticle's inbound sink; replied with whether it was applied.
   */
  public static final String INBOUND_STATUS = "herald.inbound.status";

  /**
   * Published after every commit that wrote events to the outbox, so event consumers take them at
   * once; a consumer that misses one (a crash) finds them in its slow sweep. The body is {@code
   * false} when the commit queued no event for any consumer ({@code Outbox#queuedAny}).
   */
  public static final String EVENTS_APPENDED = "herald.events.appended";

  /** Published when endpoints have deliveries due (body: JSON array of endpoint ids). */
  public static final String WEBHOOKS_DUE = "herald.webhooks.due";

  /** Published when a webhook endpoint is created, changed or deleted (body: endpoint id). */
  public static final String WEBHOOKS_CHANGED = "herald.webhooks.changed";

  /** Published when a campaign is started, paused, resumed, stopped or edited (body: its id). */
  public static final String CAMPAIGNS_CHANGED = "herald.campaigns.changed";

  /**
   * Request/reply, local: a contact import job was created with its file spooled on this node
   * (body: job id); the importer replies once it holds the job. Losing it leaves the job queued
   * until the stale sweep fails it.
   */
  public static final String CONTACTS_IMPORT = "herald.contacts.import";

  private Addresses() {}

  /**
   * Point to point, local: deliveries made already leased, handed by the fan-out to the dispatcher
   * instance of this process that owns their endpoint, by its cluster owner id (the lease in
   * PostgreSQL covers a crash).
   */
  public static String webhookHandoff(String owner) {
    return "herald.webhooks.handoff." + owner;
  }

  /**
   * Request/reply, local: the live status of one sender's lane (provider connection, circuit),
   * answered by the lane verticle that runs it; no handler means no lane runs it here.
   */
  public static String laneStatus(java.util.UUID senderId) {
    return "herald.lanes.status." + senderId;
  }

  /**
   * Published, local: hang up a call of this voice sender (body: call id), for the provider of its
   * lane; the call's {@code hangup_requested} flag is the durable request.
   */
  public static String callHangup(java.util.UUID senderId) {
    return "herald.calls.hangup." + senderId;
  }

  /** Liveness ping answered by every instance of a verticle group (request/reply). */
  public static String health(String group) {
    return "herald.health." + group;
  }
}
