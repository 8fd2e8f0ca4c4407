package herald.call;

import herald.event.EventType;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The calls of a voice campaign, inside the campaign engine's transactions: a campaign attempt is
 * an ordinary call (the same row, lane, outcome and CDR as {@code POST /api/v1/calls}) that carries
 * its campaign and recipient. These helpers take the caller's transaction; the caller wakes the
 * sender's lane ({@code Addresses.MESSAGES_QUEUED}) once it commits.
 */
public final class CampaignCalls {
  private CampaignCalls() {}

  /** Inserts a queued call with its {@code call.queued} event, in {@code tx}. */
  public static Future<Call> queue(SqlClient tx, Call call) {
    return CallStore.insert(tx, call)
        .compose(
            saved ->
                Outbox.append(
                        tx, saved.accountId(), EventType.CALL_QUEUED, saved.id(), saved.toJson())
                    .map(saved));
  }

  /** Holds the campaign's queued calls (pause): no lane claims them until released. */
  public static Future<Void> hold(SqlClient tx, UUID campaignId) {
    return tx.preparedQuery(
            "UPDATE calls SET not_before = 'infinity', updated_at = now()"
                + " WHERE campaign_id = $1 AND status = 'queued'")
        .execute(Tuple.of(campaignId))
        .mapEmpty();
  }

  /** Releases held calls (resume): due at once, the lane paces them. */
  public static Future<Void> release(SqlClient tx, UUID campaignId) {
    return tx.preparedQuery(
            "UPDATE calls SET not_before = now(), updated_at = now()"
                + " WHERE campaign_id = $1 AND status = 'queued'")
        .execute(Tuple.of(campaignId))
        .mapEmpty();
  }

  /**
   * Cancels the campaign's queued calls (stop), each with its {@code call.failed} event; they were
   * never dialled, so they have no CDR. Live calls go on to their end.
   *
   * @return the canceled calls
   */
  public static Future<List<Call>> cancelQueued(SqlClient tx, UUID campaignId) {
    return tx.preparedQuery(
            "UPDATE calls SET status = 'canceled', error = 'campaign_stopped', ended_at = now(),"
                + " updated_at = now() WHERE campaign_id = $1 AND status = 'queued' RETURNING *")
        .execute(Tuple.of(campaignId))
        .map(rows -> Rows.map(rows, Call::from))
        .compose(
            calls -> {
              Future<Void> chain = Future.succeededFuture();
              for (Call c : calls) {
                chain =
                    chain.compose(
                        v ->
                            Outbox.append(
                                tx, c.accountId(), EventType.CALL_FAILED, c.id(), c.toJson()));
              }
              return chain.map(calls);
            });
  }

  /** The calls of one campaign recipient, oldest first: its attempt history. */
  public static Future<List<Call>> ofRecipient(
      SqlClient client, UUID accountId, UUID campaignId, long seq) {
    return client
        .preparedQuery(
            "SELECT * FROM calls WHERE account_id = $1 AND campaign_id = $2 AND recipient_seq = $3"
                + " ORDER BY created_at, id")
        .execute(Tuple.of(accountId, campaignId, seq))
        .map(rows -> Rows.map(rows, Call::from));
  }
}
