package herald.platform.security;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** A user's role: a named set of scopes. */
public enum Role {
  ADMIN(Set.of(Scopes.ADMIN)),
  MANAGER(
      Set.of(
          "messages:*",
          "campaigns:*",
          "contacts:*",
          "templates:*",
          "blacklist:*",
          "senders:*",
          "webhooks:*",
          "api_keys:*",
          "audit:read",
          "agents:*",
          "inbound_rules:*",
          "calls:*")),
  SENDER(
      Set.of(
          "messages:send",
          "messages:read",
          "campaigns:read",
          "contacts:read",
          "templates:read",
          "blacklist:read",
          "senders:read",
          "api_keys:*",
          "calls:write",
          "calls:read")),
  VIEWER(
      Set.of(
          "messages:read",
          "campaigns:read",
          "contacts:read",
          "templates:read",
          "blacklist:read",
          "senders:read",
          "webhooks:read",
          "api_keys:read",
          "agents:read",
          "inbound_rules:read",
          "calls:read"));

  private final Set<String> scopes;

  Role(Set<String> scopes) {
    this.scopes = scopes;
  }

  public Set<String> scopes() {
    return scopes;
  }

  /** Lower-case name as used in the API and the database. */
  public String wire() {
    return name().toLowerCase();
  }

  public static final Set<String> WIRE_NAMES =
      Arrays.stream(values()).map(Role::wire).collect(Collectors.toUnmodifiableSet());

  public static Role fromWire(String name) {
    return valueOf(name.toUpperCase());
  }
}
