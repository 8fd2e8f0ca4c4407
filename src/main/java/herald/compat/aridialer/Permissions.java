package herald.compat.aridialer;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Seed 001's per-token permissions ({@code campaigns/*}, {@code campaigns/list}, {@code cdr/*},
 * ...) as Herald API-key scopes, and back. Each permission grants the scopes the Herald routes
 * behind its endpoints check, so a token can do exactly what its permissions name: reading a
 * campaign also needs {@code senders:read} (its trunk is its sender's endpoint), the monitoring
 * endpoints read calls, senders and running campaigns, user management is Herald's {@code admin}. A
 * key shows the permissions its scopes fully grant (a family's {@code /*} when all of it is
 * granted).
 */
final class Permissions {
  private static final Set<String> CAMPAIGN_READ = Set.of("campaigns:read", "senders:read");
  private static final Set<String> CAMPAIGN_WRITE =
      Set.of("campaigns:read", "campaigns:write", "senders:read");

  /** Every seed permission, in display order, with the scopes it grants. */
  static final Map<String, Set<String>> CATALOGUE = catalogue();

  private Permissions() {}

  private static Map<String, Set<String>> catalogue() {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    m.put("campaigns/*", CAMPAIGN_WRITE);
    for (String p : List.of("list", "view", "stats")) {
      m.put("campaigns/" + p, CAMPAIGN_READ);
    }
    for (String p : List.of("create", "update", "delete", "start", "stop", "pause", "resume")) {
      m.put("campaigns/" + p, CAMPAIGN_WRITE);
    }
    m.put("numbers/*", Set.of("campaigns:read", "campaigns:write"));
    m.put("numbers/list", Set.of("campaigns:read"));
    m.put("numbers/view", Set.of("campaigns:read"));
    m.put("numbers/create", Set.of("campaigns:read", "campaigns:write"));
    m.put("numbers/delete", Set.of("campaigns:write"));
    for (String p : List.of("*", "list", "view", "stats")) {
      m.put("cdr/" + p, Set.of("calls:read"));
    }
    Set<String> monitoring = Set.of("calls:read", "senders:read", "campaigns:read");
    m.put("monitoring/*", monitoring);
    m.put("monitoring/status", Set.of("senders:read"));
    m.put("monitoring/channels", Set.of("calls:read"));
    m.put("monitoring/realtime", monitoring);
    m.put("ivr/*", Set.of("calls:read", "calls:write"));
    m.put("ivr/list", Set.of("calls:read"));
    m.put("ivr/view", Set.of("calls:read"));
    m.put("ivr/delete", Set.of("calls:write"));
    m.put("users/*", Set.of("admin"));
    m.put("tokens/*", Set.of("api_keys:read", "api_keys:write"));
    m.put("tokens/list", Set.of("api_keys:read"));
    m.put("tokens/create", Set.of("api_keys:write"));
    m.put("tokens/revoke", Set.of("api_keys:write"));
    Set<String> all = new TreeSet<>();
    m.values().forEach(all::addAll);
    all.remove("admin"); // "*" is every dialer permission; users/* must be asked for by name
    m.put("*", Set.copyOf(all));
    return m;
  }

  /** The scopes of the given permissions, or null when one of them is unknown. */
  static List<String> scopes(Collection<String> permissions) {
    Set<String> out = new TreeSet<>();
    for (String p : permissions) {
      Set<String> granted = CATALOGUE.get(p);
      if (granted == null) {
        return null;
      }
      out.addAll(granted);
    }
    return new ArrayList<>(out);
  }

  /** The permissions the scopes fully grant, a family's wildcard standing for its members. */
  static JsonArray of(Collection<String> scopes) {
    JsonArray out = new JsonArray();
    if (scopes.contains("admin")) {
      return out.add("*").add("users/*");
    }
    Set<String> families = new TreeSet<>();
    for (Map.Entry<String, Set<String>> e : CATALOGUE.entrySet()) {
      String p = e.getKey();
      if (p.equals("*") || !covered(scopes, e.getValue())) {
        continue;
      }
      String family = p.substring(0, p.indexOf('/'));
      if (p.endsWith("/*")) {
        families.add(family);
        out.add(p);
      } else if (!families.contains(family)) {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean covered(Collection<String> scopes, Set<String> wanted) {
    for (String w : wanted) {
      String wildcard = w.contains(":") ? w.substring(0, w.indexOf(':')) + ":*" : w;
      if (!scopes.contains(w) && !scopes.contains(wildcard)) {
        return false;
      }
    }
    return true;
  }
}
