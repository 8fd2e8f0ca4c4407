package herald.platform.config;

/**
 * Password hashing.
 *
 * @param bcryptCost bcrypt work factor (each +1 doubles the time of a login); 10 to 14 is sensible
 */
public record PasswordConfig(int bcryptCost) {
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
  public static final int MAX_BYTES = 72;

  /** True when bcrypt cannot take {@code password}: more than {@value #MAX_BYTES} UTF-8 bytes. */
  public static boolean tooLong(String password) {
    return password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES;
  }

  static PasswordConfig from(ConfigNode node) {
    return new PasswordConfig(node.integer("bcrypt_cost", 4, 31));
  }
}
