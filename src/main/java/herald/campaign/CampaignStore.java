package herald.campaign;

import herald.event.EventType;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import herald.platform.database.Where;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * All SQL about the campaigns table: the spec, status changes (each with its event in the same
 * transaction), and what the engine polls.
 */
public final class CampaignStore {
  private static final String SPEC_COLUMNS =
      "name, channel, sender_ids, message, template_id, variants, group_ids, contact_ids, start_at,"
          + " recurrence, next_run_at, rate_per_second, delay_between_messages_ms, weight, quiet_hours,"
          + " max_attempts, retry_delay_seconds, missing_variables";

  private final Pool pool;

  public CampaignStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param nextRun a recurring campaign's first run (from {@link Recurrence#next}), else null
   */
  static Future<Campaign> insert(
      SqlClient tx,
      UUID id,
      UUID accountId,
      UUID parentId,
      String status,
      CampaignSpec spec,
      Instant nextRun) {
    Tuple args =
        specArgs(spec, nextRun).addUUID(id).addUUID(accountId).addUUID(parentId).addString(status);
    return tx.preparedQuery(
            "INSERT INTO campaigns ("
                + SPEC_COLUMNS
                + ", id, account_id, parent_id, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                + " $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING "
                + Campaign.COLUMNS)
        .execute(args)
        .map(rows -> Rows.first(rows, Campaign::from))
        .compose(
            c -> spec.content() == null ? Future.succeededFuture(c) : setContent(tx, id, spec));
  }

  /** Replaces the spec (and the status, which a schedule change may move). */
  static Future<Campaign> update(
      SqlClient tx, UUID id, String status, CampaignSpec spec, Instant nextRun) {
    Tuple args = specArgs(spec, nextRun).addUUID(id).addString(status);
    return tx.preparedQuery(
            "UPDATE campaigns SET ("
                + SPEC_COLUMNS
                + ", status, updated_at) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
                + " $14, $15, $16, $17, $18, $20, now()) WHERE id = $19 RETURNING "
                + Campaign.COLUMNS)
        .execute(args)
        .map(rows -> Rows.first(rows, Campaign::from))
        .compose(c -> c == null ? Future.succeededFuture(c) : setContent(tx, id, spec));
  }

  /** Stores a WhatsApp campaign's content (a column apart from the SMS spec's). */
  private static Future<Campaign> setContent(SqlClient tx, UUID id, CampaignSpec spec) {
    return tx.preparedQuery(
            "UPDATE campaigns SET content = $2 WHERE id = $1 RETURNING " + Campaign.COLUMNS)
        .execute(Tuple.of(id, spec.content()))
        .map(rows -> Rows.first(rows, Campaign::from));
  }

  private static Tuple specArgs(CampaignSpec s, Instant nextRun) {
    return Tuple.tuple()
        .addString(s.name())
        .addString(s.channel())
        .addArrayOfUUID(s.senderIds().toArray(UUID[]::new))
        .addString(s.message())
        .addUUID(s.templateId())
        .addValue(s.variants().isEmpty() ? null : Variant.toJson(s.variants()))
        .addArrayOfUUID(s.groupIds().toArray(UUID[]::new))
        .addArrayOfUUID(s.contactIds().toArray(UUID[]::new))
        .addOffsetDateTime(s.startAt() == null ? null : s.startAt().atOffset(ZoneOffset.UTC))
        .addValue(s.recurrence() == null ? null : s.recurrence().toJson())
        .addOffsetDateTime(nextRun == null ? null : nextRun.atOffset(ZoneOffset.UTC))
        .addDouble(s.ratePerSecond())
        .addInteger(s.delayMs())
        .addInteger(s.weight())
        .addValue(s.quietHours() == null ? null : s.quietHours().toJson())
        .addInteger(s.maxAttempts())
        .addInteger(s.retryDelaySeconds())
        .addString(s.missingVariables());
  }

  public Future<Campaign> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT " + Campaign.COLUMNS + " FROM campaigns WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Campaign::from));
  }

  static Future<Campaign> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "SELECT "
                + Campaign.COLUMNS
                + " FROM campaigns WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Campaign::from));
  }

  /** List filters; null fields do not filter. */
  record Filter(String status, UUID parentId) {}

  Future<List<Campaign>> list(UUID accountId, Filter filter, PageRequest page) {
    Where where =
        new Where("account_id = ", accountId)
            .and("status = ", filter.status())
            .and("parent_id = ", filter.parentId())
            .and("id < ", page.after());
    return pool.preparedQuery(
            "SELECT "
                + Campaign.COLUMNS
                + " FROM campaigns WHERE "
                + where.sql()
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.from(where.args()))
        .map(rows -> Rows.map(rows, Campaign::from));
  }

  static Future<Void> delete(SqlClient tx, UUID id) {
    return tx.preparedQuery("DELETE FROM campaigns WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Moves a campaign to {@code status} and writes {@code event} (when not null) with the campaign's
   * id, name and new status plus {@code extra}, in {@code tx}.
   */
  static Future<Campaign> transition(
      SqlClient tx, Campaign campaign, String status, EventType event, JsonObject extra) {
    String stamps =
        switch (status) {
          case "running" -> ", started_at = coalesce(started_at, now()), finished_at = NULL";
          case "completed", "stopped", "failed" -> ", finished_at = now()";
          default -> "";
        };
    return tx.preparedQuery(
            "UPDATE campaigns SET status = $2, updated_at = now()"
                + stamps
                + " WHERE id = $1 RETURNING "
                + Campaign.COLUMNS)
        .execute(Tuple.of(campaign.id(), status))
        .compose(
            rows -> {
              Campaign after = Rows.first(rows, Campaign::from);
              if (event == null) {
                return Future.succeededFuture(after);
              }
              JsonObject data =
                  new JsonObject()
                      .put("id", after.id().toString())
                      .put("name", after.spec().name())
                      .put("status", after.status())
                      .put(
                          "parent_id",
                          after.parentId() == null ? null : after.parentId().toString())
                      .mergeIn(extra == null ? new JsonObject() : extra);
              return Outbox.append(tx, after.accountId(), event, after.id(), data).map(after);
            });
  }

  static Future<Void> setError(SqlClient tx, UUID id, String error) {
    return tx.preparedQuery("UPDATE campaigns SET error = $2 WHERE id = $1")
        .execute(Tuple.of(id, error))
        .mapEmpty();
  }

  /** Forgets the skip counts (before inline recipients are replaced). */
  static Future<Void> resetSkipped(SqlClient tx, UUID id) {
    return tx.preparedQuery("UPDATE campaigns SET skipped = '{}' WHERE id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  /** Adds to the count of recipients skipped for {@code reason}. */
  static Future<Void> countSkipped(SqlClient tx, UUID id, JsonObject byReason) {
    if (byReason.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(
            "UPDATE campaigns c SET skipped = (SELECT jsonb_object_agg(k, v) FROM ("
                + " SELECT k, sum(v)::bigint AS v FROM (SELECT key AS k, value::bigint AS v FROM jsonb_each_text(c.skipped)"
                + " UNION ALL SELECT key, value::bigint FROM jsonb_each_text($2::jsonb)) a GROUP BY k) b)"
                + " WHERE id = $1")
        .execute(Tuple.of(id, byReason))
        .mapEmpty();
  }

  static Future<Void> markAudienceReady(SqlClient tx, UUID id) {
    return tx.preparedQuery("UPDATE campaigns SET audience_ready = true WHERE id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  /** Campaigns the engine has work for: running ones, and scheduled ones (one-off or recurring). */
  Future<List<Campaign>> live() {
    return pool.preparedQuery(
            "SELECT "
                + Campaign.COLUMNS
                + " FROM campaigns WHERE status IN ('scheduled', 'running')")
        .execute()
        .map(rows -> Rows.map(rows, Campaign::from));
  }

  /** Re-reads a campaign for the engine, locked for the rest of {@code tx}. */
  static Future<Campaign> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery(
            "SELECT " + Campaign.COLUMNS + " FROM campaigns WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, Campaign::from));
  }

  /**
   * The campaign's status, share-locked for the rest of {@code tx}: a pause or stop (which lock it
   * for update) waits for a feed in progress, and a feed after them sees their status.
   */
  static Future<String> lockShared(SqlClient tx, UUID id) {
    return tx.preparedQuery("SELECT status FROM campaigns WHERE id = $1 FOR SHARE")
        .execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, row -> row.getString("status")));
  }

  /** Sets when a recurring campaign runs next (null when its schedule has ended). */
  static Future<Void> setNextRun(SqlClient tx, UUID id, Instant next) {
    return tx.preparedQuery(
            "UPDATE campaigns SET next_run_at = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, next == null ? null : next.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** The account's time zone setting, for schedules and quiet hours; UTC when unset. */
  static Future<String> accountZone(SqlClient client, UUID accountId) {
    return client
        .preparedQuery("SELECT settings ->> 'timezone' AS tz FROM accounts WHERE id = $1")
        .execute(Tuple.of(accountId))
        .map(rows -> Rows.first(rows, row -> row.getString("tz")));
  }
}
