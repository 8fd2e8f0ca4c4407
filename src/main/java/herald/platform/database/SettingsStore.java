package herald.platform.database;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;

/** Values Herald generates once and shares between restarts and nodes. */
public final class SettingsStore {
  private final Pool pool;

  public SettingsStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * The stored value of {@code key}; the first caller on any node stores {@code initial}'s value.
   */
  public Future<String> getOrCreate(String key, Supplier<String> initial) {
    return pool.preparedQuery(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .execute(Tuple.of(key, initial.get()))
        .compose(
            v ->
                pool.preparedQuery("SELECT value FROM settings WHERE key = $1")
                    .execute(Tuple.of(key)))
        .map(rows -> rows.iterator().next().getString("value"));
  }
}
