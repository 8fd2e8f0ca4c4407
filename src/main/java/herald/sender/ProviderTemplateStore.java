package herald.sender;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL of {@code provider_templates}: a sender's provider-side message templates. */
final class ProviderTemplateStore {
  private final Pool pool;

  ProviderTemplateStore(Pool pool) {
    this.pool = pool;
  }

  /** Replaces the sender's templates with {@code templates}, in one transaction. */
  Future<Void> replace(UUID senderId, List<JsonObject> templates) {
    String[] names = templates.stream().map(t -> t.getString("name")).toArray(String[]::new);
    String[] languages =
        templates.stream().map(t -> t.getString("language")).toArray(String[]::new);
    String[] statuses = templates.stream().map(t -> t.getString("status")).toArray(String[]::new);
    String[] categories =
        templates.stream().map(t -> t.getString("category")).toArray(String[]::new);
    String[] components =
        templates.stream()
            .map(t -> t.getJsonArray("components", new JsonArray()).encode())
            .toArray(String[]::new);
    return pool.withTransaction(
        tx ->
            tx.preparedQuery("DELETE FROM provider_templates WHERE sender_id = $1")
                .execute(Tuple.of(senderId))
                .compose(
                    v ->
                        tx.preparedQuery(
                                "INSERT INTO provider_templates (sender_id, name, language, status,"
                                    + " category, components) SELECT $1, t.n, t.l, t.s, t.c, t.j::jsonb"
                                    + " FROM unnest($2::text[], $3::text[], $4::text[], $5::text[],"
                                    + " $6::text[]) AS t(n, l, s, c, j)"
                                    + " WHERE t.n IS NOT NULL AND t.l IS NOT NULL AND t.s IS NOT NULL"
                                    + " ON CONFLICT DO NOTHING")
                            .execute(
                                Tuple.of(
                                    senderId, names, languages, statuses, categories, components)))
                .mapEmpty());
  }

  /** The sender's templates by name and language, optionally only those of one status. */
  Future<List<JsonObject>> list(UUID senderId, String status) {
    return pool.preparedQuery(
            "SELECT name, language, status, category, components, synced_at FROM provider_templates"
                + " WHERE sender_id = $1 AND ($2::text IS NULL OR status = $2)"
                + " ORDER BY name, language")
        .execute(Tuple.of(senderId, status))
        .map(
            rows ->
                Rows.map(
                    rows,
                    row ->
                        new JsonObject()
                            .put("name", row.getString("name"))
                            .put("language", row.getString("language"))
                            .put("status", row.getString("status"))
                            .put("category", row.getString("category"))
                            .put("components", row.getJsonArray("components"))
                            .put("synced_at", Rows.iso(row, "synced_at"))));
  }
}
