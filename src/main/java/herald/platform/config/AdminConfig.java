package herald.platform.config;

/**
 * The platform administrator created on the first start with an empty database.
 *
 * @param username login name of the first admin user
 * @param password its password; null makes Herald generate one and print it once to the log
 */
public record AdminConfig(String username, String password) {

  public AdminConfig {
    if (password != null && password.length() < 8) {
      throw new ConfigException("admin.password", "must be at least 8 characters");
    }
    if (password != null && PasswordConfig.tooLong(password)) {
      throw new ConfigException(
          "admin.password", "must be at most " + PasswordConfig.MAX_BYTES + " bytes");
    }
  }

  static AdminConfig from(ConfigNode node) {
    return new AdminConfig(node.string("username"), node.optionalString("password"));
  }
}
