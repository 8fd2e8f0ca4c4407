package herald.auth;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;

/** An API key as lists show it: never the key itself, only its prefix. */
public record ApiKey(
    UUID id,
    UUID accountId,
    UUID userId,
    String name,
    String prefix,
    List<String> scopes,
    String expiresAt,
    String lastUsedAt,
    String revokedAt,
    String createdAt) {

  static ApiKey from(Row row) {
    return new ApiKey(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("user_id"),
        row.getString("name"),
        row.getString("prefix"),
        List.of(row.getArrayOfStrings("scopes")),
        Rows.iso(row, "expires_at"),
        Rows.iso(row, "last_used_at"),
        Rows.iso(row, "revoked_at"),
        Rows.iso(row, "created_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("prefix", ApiKeys.MARK + prefix)
        .put("scopes", new JsonArray(scopes))
        .put("user_id", userId.toString())
        .put("expires_at", expiresAt)
        .put("last_used_at", lastUsedAt)
        .put("revoked_at", revokedAt)
        .put("created_at", createdAt);
  }
}
