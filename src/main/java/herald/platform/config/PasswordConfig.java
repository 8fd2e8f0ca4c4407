package herald.platform.config;

/**
 * Password hashing.
 *
 * @param bcryptCost bcrypt work factor (each +1 doubles the time of a login); 10 to 14 is sensible
 */
public record PasswordConfig(int bcryptCost) {

  static PasswordConfig from(ConfigNode node) {
    return new PasswordConfig(node.integer("bcrypt_cost", 4, 31));
  }
}
