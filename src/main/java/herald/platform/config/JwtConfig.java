package herald.platform.config;

/**
 * Login tokens.
 *
 * @param secret HMAC key for HS256; null makes Herald generate one on first start and keep it in
 *     the database, so tokens survive restarts and are valid on every node
 * @param issuer {@code iss} claim written and required
 * @param ttlSeconds lifetime of a login token
 */
public record JwtConfig(String secret, String issuer, int ttlSeconds) {

  public JwtConfig {
    if (secret != null && secret.length() < 32) {
      throw new ConfigException("jwt.secret", "must be at least 32 characters");
    }
  }

  static JwtConfig from(ConfigNode node) {
    return new JwtConfig(
        node.optionalString("secret"),
        node.string("issuer"),
        node.integer("ttl_seconds", 60, 30 * 24 * 3600));
  }
}
