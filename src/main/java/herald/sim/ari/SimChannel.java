package herald.sim.ari;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One simulated outbound channel. Mutable; used on the simulator's event loop only. */
final class SimChannel {
  final String id;
  final String name;
  final String number;
  final String app;
  final List<String> args;
  final CallScript script;
  final int timeoutSeconds;
  final boolean amdRequested;
  final Instant created = Instant.now();
  final String callerName;
  final String callerNumber;
  final Map<String, String> vars = new LinkedHashMap<>();
  final List<Long> timers = new ArrayList<>();

  String state = "Down";
  boolean inStasis;
  boolean ended;
  String context = "default";
  String exten = "s";
  long priority = 1;
  String appName = "";
  String appData = "";
  String bridgeId;

  SimChannel(
      String id,
      String name,
      String number,
      String app,
      List<String> args,
      CallScript script,
      int timeoutSeconds,
      boolean amdRequested,
      String callerName,
      String callerNumber) {
    this.id = id;
    this.name = name;
    this.number = number;
    this.app = app;
    this.args = args;
    this.script = script;
    this.timeoutSeconds = timeoutSeconds;
    this.amdRequested = amdRequested;
    this.callerName = callerName;
    this.callerNumber = callerNumber;
  }

  boolean up() {
    return state.equals("Up");
  }

  /** The ARI {@code Channel} model as Asterisk serialises a snapshot. */
  JsonObject toJson(List<String> channelVars) {
    JsonObject caller = new JsonObject().put("name", callerName).put("number", callerNumber);
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("name", name)
            .put("state", state)
            .put("protocol_id", "")
            .put("caller", caller)
            .put("connected", caller.copy())
            .put("accountcode", "")
            .put(
                "dialplan",
                new JsonObject()
                    .put("context", context)
                    .put("exten", exten)
                    .put("priority", priority)
                    .put("app_name", appName)
                    .put("app_data", appData))
            .put("creationtime", AriTime.format(created))
            .put("language", "en");
    if (!channelVars.isEmpty()) {
      JsonObject values = new JsonObject();
      for (String variable : channelVars) {
        values.put(variable, vars.getOrDefault(variable, ""));
      }
      json.put("channelvars", values);
    }
    return json;
  }

  static JsonArray strings(List<String> values) {
    return new JsonArray(new ArrayList<>(values));
  }
}
