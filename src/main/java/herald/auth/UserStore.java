package herald.auth;

import herald.platform.database.Rows;
import herald.platform.http.PageRequest;
import herald.platform.security.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** All SQL about users. Every read and write is confined to one account. */
public final class UserStore {
  private static final String COLUMNS =
      "id, account_id, username, name, email, role, is_active, last_login_at, created_at, updated_at";

  /**
   * The user columns of a join, each aliased {@code u_<column>}, for {@link User#from(Row,
   * String)}.
   */
  static final String U_PREFIXED =
      "u.id AS u_id, u.account_id AS u_account_id, u.username AS u_username, u.name AS u_name,"
          + " u.email AS u_email, u.role AS u_role, u.is_active AS u_is_active,"
          + " u.last_login_at AS u_last_login_at, u.created_at AS u_created_at,"
          + " u.updated_at AS u_updated_at";

  private static final String U_COLUMNS =
      "u.id, u.account_id, u.username, u.name, u.email, u.role, u.is_active, u.last_login_at,"
          + " u.created_at, u.updated_at";

  /** What login needs: the user, the hash, and whether the account may log in. */
  public record Credentials(User user, String passwordHash, boolean accountActive) {}

  /** What the authenticator needs for a login token. */
  public record Session(
      User user, boolean platformAccount, boolean accountActive, boolean revoked) {}

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Credentials> credentials(String username) {
    return pool.preparedQuery(
            "SELECT "
                + U_COLUMNS
                + ", u.password_hash, a.status = 'active' AS account_active"
                + " FROM users u JOIN accounts a ON a.id = u.account_id WHERE lower(u.username) = lower($1)")
        .execute(Tuple.of(username))
        .map(
            rows ->
                Rows.first(
                    rows,
                    row ->
                        new Credentials(
                            User.from(row),
                            row.getString("password_hash"),
                            row.getBoolean("account_active"))));
  }

  /** One round trip per token-authenticated request: the user, their account, and revocation. */
  public Future<Session> session(UUID userId, UUID tokenId) {
    return pool.preparedQuery(
            "SELECT "
                + U_COLUMNS
                + ", a.is_platform, a.status = 'active' AS account_active,"
                + " EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $2) AS revoked"
                + " FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = $1")
        .execute(Tuple.of(userId, tokenId))
        .map(
            rows ->
                Rows.first(
                    rows,
                    row ->
                        new Session(
                            User.from(row),
                            row.getBoolean("is_platform"),
                            row.getBoolean("account_active"),
                            row.getBoolean("revoked"))));
  }

  public Future<User> get(UUID accountId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, User::from));
  }

  /** Locks the row for an update in the same transaction. */
  public static Future<User> getForUpdate(SqlClient tx, UUID accountId, UUID id) {
    return tx.preparedQuery(
            "SELECT " + COLUMNS + " FROM users WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, User::from));
  }

  public Future<List<User>> list(UUID accountId, PageRequest page, String role, Boolean active) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM users WHERE account_id = $1"
                + " AND ($2::uuid IS NULL OR id < $2) AND ($3::text IS NULL OR role = $3)"
                + " AND ($4::boolean IS NULL OR is_active = $4) ORDER BY id DESC LIMIT $5")
        .execute(Tuple.of(accountId, page.after(), role, active, page.limit() + 1))
        .map(rows -> Rows.map(rows, User::from));
  }

  /** Inserts a user; a taken username fails with SQLSTATE 23505. */
  public static Future<User> insert(
      SqlClient tx,
      UUID id,
      UUID accountId,
      String username,
      String name,
      String email,
      String passwordHash,
      Role role) {
    return tx.preparedQuery(
            "INSERT INTO users (id, account_id, username, name, email, password_hash, role)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, accountId, username, name, email, passwordHash, role.wire()))
        .map(rows -> Rows.first(rows, User::from));
  }

  /** Writes the given state; a null passwordHash keeps the current one. */
  public static Future<User> update(SqlClient tx, User user, String passwordHash) {
    return tx.preparedQuery(
            "UPDATE users SET name = $3, email = $4, role = $5, is_active = $6,"
                + " password_hash = COALESCE($7, password_hash), updated_at = now()"
                + " WHERE account_id = $1 AND id = $2 RETURNING "
                + COLUMNS)
        .execute(
            Tuple.of(
                user.accountId(),
                user.id(),
                user.name(),
                user.email(),
                user.role().wire(),
                user.active(),
                passwordHash))
        .map(rows -> Rows.first(rows, User::from));
  }

  public Future<Void> touchLogin(UUID userId) {
    return pool.preparedQuery("UPDATE users SET last_login_at = now() WHERE id = $1")
        .execute(Tuple.of(userId))
        .mapEmpty();
  }

  public static Future<Void> revokeToken(SqlClient tx, UUID tokenId, long expiresAtEpochSeconds) {
    return tx.preparedQuery(
            "INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, to_timestamp($2))"
                + " ON CONFLICT (jti) DO NOTHING")
        .execute(Tuple.of(tokenId, expiresAtEpochSeconds))
        .mapEmpty();
  }

  /** Drops revocations of tokens that have expired anyway; returns how many. */
  public Future<Integer> purgeExpiredRevocations() {
    return pool.query("DELETE FROM revoked_tokens WHERE expires_at < now() - interval '1 minute'")
        .execute()
        .map(rows -> rows.rowCount());
  }
}
