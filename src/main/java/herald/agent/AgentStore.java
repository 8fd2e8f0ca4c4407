package herald.agent;

import herald.platform.database.Rows;
import herald.platform.http.PageRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL over the {@code agents} table. */
public final class AgentStore {
  private static final String INSERT =
      "INSERT INTO agents (id, account_id, name, base_url, model, secrets, system_prompt,"
          + " prompt_templates, category_keywords, temperature, max_tokens, history_turns,"
          + " max_segments, timeout_ms, fallback_reply, default_tier, unknown_tier_reply,"
          + " prompt_token_price, completion_token_price, classification)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
          + " $18, $19, $20)"
          + " RETURNING "
          + Agent.COLUMNS;
  private static final String UPDATE =
      "UPDATE agents SET name = $3, base_url = $4, model = $5, secrets = $6, system_prompt = $7,"
          + " prompt_templates = $8, category_keywords = $9, temperature = $10, max_tokens = $11,"
          + " history_turns = $12, max_segments = $13, timeout_ms = $14, fallback_reply = $15,"
          + " default_tier = $16, unknown_tier_reply = $17, prompt_token_price = $18,"
          + " completion_token_price = $19, classification = $20, updated_at = now()"
          + " WHERE id = $1 AND account_id = $2 RETURNING "
          + Agent.COLUMNS;

  private final Pool pool;

  public AgentStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Agent>> list(UUID accountId, PageRequest page) {
    return pool.preparedQuery(
            "SELECT "
                + Agent.COLUMNS
                + " FROM agents WHERE account_id = $1 AND ($2::uuid IS NULL OR id < $2)"
                + " ORDER BY id DESC LIMIT "
                + (page.limit() + 1))
        .execute(Tuple.of(accountId, page.after()))
        .map(rows -> Rows.map(rows, Agent::from));
  }

  /** The account's agent, or null. */
  public Future<Agent> get(UUID accountId, UUID id) {
    return get(pool, accountId, id);
  }

  /** The account's agent read in {@code client} (a transaction), or null. */
  public static Future<Agent> get(SqlClient client, UUID accountId, UUID id) {
    return client
        .preparedQuery("SELECT " + Agent.COLUMNS + " FROM agents WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Agent::from));
  }

  /** An agent by name, or null. */
  public Future<Agent> byName(UUID accountId, String name) {
    return pool.preparedQuery(
            "SELECT " + Agent.COLUMNS + " FROM agents WHERE account_id = $1 AND name = $2")
        .execute(Tuple.of(accountId, name))
        .map(rows -> Rows.first(rows, Agent::from));
  }

  static Future<Agent> insert(SqlClient tx, Agent a) {
    return tx.preparedQuery(INSERT).execute(args(a)).map(rows -> Rows.first(rows, Agent::from));
  }

  /** Null when the account has no such agent. */
  static Future<Agent> update(SqlClient tx, Agent a) {
    return tx.preparedQuery(UPDATE).execute(args(a)).map(rows -> Rows.first(rows, Agent::from));
  }

  /** Returns the deleted agent, or null when the account has no such agent. */
  static Future<Agent> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "DELETE FROM agents WHERE account_id = $1 AND id = $2 RETURNING " + Agent.COLUMNS)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Agent::from));
  }

  private static Tuple args(Agent a) {
    return Tuple.from(
        new Object[] {
          a.id(),
          a.accountId(),
          a.name(),
          a.baseUrl(),
          a.model(),
          a.apiKey() == null ? new JsonObject() : new JsonObject().put("api_key", a.apiKey()),
          a.systemPrompt(),
          a.promptTemplates(),
          a.categoryKeywords(),
          a.temperature(),
          a.maxTokens(),
          a.historyTurns(),
          a.maxSegments(),
          a.timeoutMs(),
          a.fallbackReply(),
          a.defaultTier(),
          a.unknownTierReply(),
          a.promptTokenPrice(),
          a.completionTokenPrice(),
          a.classification()
        });
  }
}
