package herald.auth;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A user as the API shows it (never the password hash). */
public record User(
    UUID id,
    UUID accountId,
    String username,
    String name,
    String email,
    Role role,
    boolean active,
    String lastLoginAt,
    String createdAt,
    String updatedAt) {

  static User from(Row row) {
    return new User(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("username"),
        row.getString("name"),
        row.getString("email"),
        Role.fromWire(row.getString("role")),
        row.getBoolean("is_active"),
        Rows.iso(row, "last_login_at"),
        Rows.iso(row, "created_at"),
        Rows.iso(row, "updated_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("account_id", accountId.toString())
        .put("username", username)
        .put("name", name)
        .put("email", email)
        .put("role", role.wire())
        .put("is_active", active)
        .put("last_login_at", lastLoginAt)
        .put("created_at", createdAt)
        .put("updated_at", updatedAt);
  }
}
