package herald.platform.config;

import java.net.URI;

/**
 * Database settings.
 *
 * @param url {@code postgresql://user:password@host:port/database} of an external server, or null
 *     to run the embedded PostgreSQL under {@code <data_dir>/pg}
 * @param poolSize connections in the one shared pool used by every verticle
 * @param connectTimeoutSeconds how long a new connection may take before it fails
 */
public record DatabaseConfig(String url, int poolSize, int connectTimeoutSeconds) {

  public DatabaseConfig {
    if (url != null) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("database.url", "is not a valid URL");
      }
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
        throw new ConfigException("database.url", "must start with postgresql://");
      }
      if (uri.getHost() == null) {
        throw new ConfigException("database.url", "must name a host");
      }
    }
  }

  /** True when Herald runs its own embedded PostgreSQL. */
  public boolean embedded() {
    return url == null;
  }

  static DatabaseConfig from(ConfigNode node) {
    return new DatabaseConfig(
        node.optionalString("url"),
        node.integer("pool_size", 1, 1000),
        node.integer("connect_timeout_seconds", 1, 600));
  }
}
