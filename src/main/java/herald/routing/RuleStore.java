package herald.routing;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL over {@code inbound_rules}, and the look-ups the rules' references need. */
public final class RuleStore {
  private static final String ORDER = " ORDER BY position, id";

  private final Pool pool;

  public RuleStore(Pool pool) {
    this.pool = pool;
  }

  /** Every rule of the account, in the order they are tried. */
  public Future<List<InboundRule>> list(UUID accountId) {
    return pool.preparedQuery(
            "SELECT " + InboundRule.COLUMNS + " FROM inbound_rules WHERE account_id = $1" + ORDER)
        .execute(Tuple.of(accountId))
        .map(rows -> Rows.map(rows, InboundRule::from));
  }

  public Future<InboundRule> get(UUID accountId, UUID id) {
    return pool.preparedQuery(
            "SELECT "
                + InboundRule.COLUMNS
                + " FROM inbound_rules WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, InboundRule::from));
  }

  /** A rule with its template's text (null unless the action is {@code template}). */
  record Loaded(InboundRule rule, String templateContent) {}

  /** The account's enabled rules in order, read in the inbound message's transaction. */
  static Future<List<Loaded>> enabled(SqlClient tx, UUID accountId) {
    return tx.preparedQuery(
            "SELECT r."
                + InboundRule.COLUMNS.replace(", ", ", r.")
                + ", t.content AS template_content FROM inbound_rules r"
                + " LEFT JOIN templates t ON t.id = r.template_id"
                + " WHERE r.account_id = $1 AND r.enabled ORDER BY r.position, r.id")
        .execute(Tuple.of(accountId))
        .map(
            rows ->
                Rows.map(
                    rows,
                    (Row row) ->
                        new Loaded(InboundRule.from(row), row.getString("template_content"))));
  }

  /** The next free position at the end of the account's list. */
  static Future<Integer> nextPosition(SqlClient tx, UUID accountId) {
    return tx.preparedQuery(
            "SELECT coalesce(max(position), 0) + 10 AS p FROM inbound_rules WHERE account_id = $1")
        .execute(Tuple.of(accountId))
        .map(rows -> rows.iterator().next().getInteger("p"));
  }

  static Future<InboundRule> insert(SqlClient tx, InboundRule r) {
    return tx.preparedQuery(
            "INSERT INTO inbound_rules (id, account_id, name, position, enabled, match_sender_id,"
                + " match_number, match_keyword, match_regex, match_group_id, match_tier, action,"
                + " reply_text, template_id, agent_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                + " $10, $11, $12, $13, $14, $15) RETURNING "
                + InboundRule.COLUMNS)
        .execute(args(r))
        .map(rows -> Rows.first(rows, InboundRule::from));
  }

  static Future<InboundRule> update(SqlClient tx, InboundRule r) {
    return tx.preparedQuery(
            "UPDATE inbound_rules SET name = $3, position = $4, enabled = $5,"
                + " match_sender_id = $6, match_number = $7, match_keyword = $8,"
                + " match_regex = $9, match_group_id = $10, match_tier = $11, action = $12,"
                + " reply_text = $13, template_id = $14, agent_id = $15, updated_at = now()"
                + " WHERE id = $1 AND account_id = $2 RETURNING "
                + InboundRule.COLUMNS)
        .execute(args(r))
        .map(rows -> Rows.first(rows, InboundRule::from));
  }

  static Future<InboundRule> delete(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "DELETE FROM inbound_rules WHERE account_id = $1 AND id = $2 RETURNING "
                + InboundRule.COLUMNS)
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, InboundRule::from));
  }

  /**
   * Which of the referenced resources the account lacks, as field names ({@code match.sender_id},
   * {@code match.group_id}, {@code template_id}, {@code agent_id}).
   */
  static Future<List<String>> missingReferences(SqlClient tx, InboundRule r) {
    return tx.preparedQuery(
            "SELECT array_remove(ARRAY["
                + " CASE WHEN $2::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM senders WHERE"
                + " id = $2 AND account_id = $1) THEN 'match.sender_id' END,"
                + " CASE WHEN $3::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contact_groups"
                + " WHERE id = $3 AND account_id = $1) THEN 'match.group_id' END,"
                + " CASE WHEN $4::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM templates WHERE"
                + " id = $4 AND account_id = $1) THEN 'template_id' END,"
                + " CASE WHEN $5::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agents WHERE"
                + " id = $5 AND account_id = $1) THEN 'agent_id' END], NULL) AS missing")
        .execute(
            Tuple.of(
                r.accountId(), r.matchSenderId(), r.matchGroupId(), r.templateId(), r.agentId()))
        .map(rows -> List.of(rows.iterator().next().getArrayOfStrings("missing")));
  }

  /**
   * The contact of a sending number (as received, or with a leading +): its tier and groups; null
   * when the number is no contact.
   */
  record ContactFacts(String tier, List<UUID> groups, io.vertx.core.json.JsonObject variables) {}

  static Future<ContactFacts> contact(SqlClient tx, UUID accountId, String phone) {
    String e164 = phone.startsWith("+") ? phone : "+" + phone;
    return tx.preparedQuery(
            "SELECT c.tier, c.name, c.first_name, c.last_name, c.email,"
                + " ARRAY(SELECT m.group_id FROM contact_group_members m WHERE m.contact_id = c.id)"
                + " AS groups FROM contacts c WHERE c.account_id = $1 AND c.phone_number IN ($2, $3)"
                + " LIMIT 1")
        .execute(Tuple.of(accountId, phone, e164))
        .map(
            rows ->
                Rows.first(
                    rows,
                    (Row row) ->
                        new ContactFacts(
                            row.getString("tier"),
                            List.of(row.getArrayOfUUIDs("groups")),
                            new io.vertx.core.json.JsonObject()
                                .put("name", row.getString("name"))
                                .put("first_name", row.getString("first_name"))
                                .put("last_name", row.getString("last_name"))
                                .put("email", row.getString("email")))));
  }

  /** Records on the inbound message which rule handled it. */
  static Future<Void> recordRoute(
      SqlClient tx, UUID messageId, io.vertx.core.json.JsonObject route) {
    return tx.preparedQuery(
            "UPDATE messages SET metadata = coalesce(metadata, '{}'::jsonb)"
                + " || jsonb_build_object('inbound_route', $2::jsonb) WHERE id = $1")
        .execute(Tuple.of(messageId, route))
        .mapEmpty();
  }

  private static Tuple args(InboundRule r) {
    return Tuple.from(
        new Object[] {
          r.id(),
          r.accountId(),
          r.name(),
          r.position(),
          r.enabled(),
          r.matchSenderId(),
          r.matchNumber(),
          r.matchKeyword(),
          r.matchRegex(),
          r.matchGroupId(),
          r.matchTier(),
          r.action(),
          r.replyText(),
          r.templateId(),
          r.agentId()
        });
  }
}
