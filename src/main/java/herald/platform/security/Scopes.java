package herald.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The permission vocabulary. A scope is {@code resource:action}; {@code resource:*} grants every
 * action on the resource and {@code admin} grants everything within the caller's account.
 */
public final class Scopes {
  public static final String ADMIN = "admin";

  /** Every concrete scope Herald checks. */
  public static final Set<String> KNOWN =
      Set.of(
          "messages:send",
          "messages:read",
          "campaigns:read",
          "campaigns:write",
          "contacts:read",
          "contacts:write",
          "templates:read",
          "templates:write",
          "blacklist:read",
          "blacklist:write",
          "senders:read",
          "senders:write",
          "webhooks:read",
          "webhooks:write",
          "api_keys:read",
          "api_keys:write",
          "audit:read",
          "agents:read",
          "agents:write",
          "inbound_rules:read",
          "inbound_rules:write",
          "calls:read",
          "calls:write",
          ADMIN);

  private static final Set<String> RESOURCES =
      Set.of(
          "messages",
          "campaigns",
          "contacts",
          "templates",
          "blacklist",
          "senders",
          "webhooks",
          "api_keys",
          "audit",
          "agents",
          "inbound_rules",
          "calls");

  private Scopes() {}

  /**
   * True when {@code scope} is a concrete scope, a {@code resource:*} wildcard, or {@code admin}.
   */
  public static boolean isValid(String scope) {
    if (KNOWN.contains(scope)) {
      return true;
    }
    return scope.endsWith(":*") && RESOURCES.contains(scope.substring(0, scope.length() - 2));
  }

  /** True when the granted scopes cover {@code wanted} (itself possibly a wildcard). */
  public static boolean covers(Collection<String> granted, String wanted) {
    if (granted.contains(ADMIN) || granted.contains(wanted)) {
      return true;
    }
    int colon = wanted.indexOf(':');
    return colon > 0 && granted.contains(wanted.substring(0, colon) + ":*");
  }

  /** Sorted, de-duplicated copy, for storage and display. */
  public static List<String> normalize(Collection<String> scopes) {
    return List.copyOf(new TreeSet<>(scopes));
  }
}
