package herald.auth;

import herald.platform.database.Rows;
import herald.platform.security.Role;
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
    return from(row, "");
  }

  /** Reads a user whose columns carry {@code prefix} (for joins, see {@code UserStore}). */
  static User from(Row row, String prefix) {
    return new User(
        row.getUUID(prefix + "id"),
        row.getUUID(prefix + "account_id"),
        row.getString(prefix + "username"),
        row.getString(prefix + "name"),
        row.getString(prefix + "email"),
        Role.fromWire(row.getString(prefix + "role")),
        row.getBoolean(prefix + "is_active"),
        Rows.iso(row, prefix + "last_login_at"),
        Rows.iso(row, prefix + "created_at"),
        Rows.iso(row, prefix + "updated_at"));
  }

  /** This user with the editable fields replaced. */
  public User with(String name, String email, Role role, boolean active) {
    return new User(
        id, accountId, username, name, email, role, active, lastLoginAt, createdAt, updatedAt);
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
