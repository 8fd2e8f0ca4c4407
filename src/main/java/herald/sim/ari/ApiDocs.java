package herald.sim.ari;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Swagger 1.1 api-docs ARI publishes, generated from the simulator's own {@link Operation}
 * table: {@code resources.json} lists the resources served, and each resource's document lists its
 * operations and the models they and the events use. Only what the simulator serves or sends is
 * described.
 */
final class ApiDocs {
  /** The ARI version reported in {@code resources.json} (Asterisk 22's). */
  static final String ARI_VERSION = "10.0.0";

  private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

  static {
    DESCRIPTIONS.put("asterisk", "Asterisk resources");
    DESCRIPTIONS.put("channels", "Channel resources");
    DESCRIPTIONS.put("bridges", "Bridge resources");
    DESCRIPTIONS.put("recordings", "Recording resources");
    DESCRIPTIONS.put("playbacks", "Playback control resources");
    DESCRIPTIONS.put("events", "WebSocket resource");
    DESCRIPTIONS.put("applications", "Stasis application resources");
  }

  /** Model name → properties, each {@code name type} with {@code !} when required. */
  private static final Map<String, String> MODELS = new LinkedHashMap<>();

  private static final Map<String, List<String>> MODELS_BY_RESOURCE = new LinkedHashMap<>();

  private static final List<String> EVENTS =
      List.of(
          "ApplicationReplaced",
          "ChannelDestroyed",
          "ChannelDtmfReceived",
          "ChannelEnteredBridge",
          "ChannelHangupRequest",
          "ChannelLeftBridge",
          "ChannelStateChange",
          "ChannelVarset",
          "Dial",
          "PlaybackContinuing",
          "PlaybackFinished",
          "PlaybackStarted",
          "RecordingFailed",
          "RecordingFinished",
          "RecordingStarted",
          "StasisEnd",
          "StasisStart");

  static {
    MODELS.put("CallerID", "name string!, number string!");
    MODELS.put(
        "DialplanCEP",
        "context string!, exten string!, priority long!, app_name string!, app_data string!");
    MODELS.put(
        "Channel",
        "id string!, protocol_id string!, name string!, state string!, caller CallerID!,"
            + " connected CallerID!, accountcode string!, dialplan DialplanCEP!,"
            + " creationtime Date!, language string!, channelvars object");
    MODELS.put(
        "Bridge",
        "id string!, technology string!, bridge_type string!, bridge_class string!,"
            + " creator string!, name string!, channels List[string]!, video_mode string,"
            + " creationtime Date!");
    MODELS.put(
        "Playback",
        "id string!, media_uri string!, next_media_uri string, target_uri string!,"
            + " language string, state string!");
    MODELS.put(
        "LiveRecording",
        "name string!, format string!, target_uri string!, state string!, duration int,"
            + " talking_duration int, silence_duration int, cause string");
    MODELS.put("StoredRecording", "name string!, format string!");
    MODELS.put("Variable", "value string!");
    MODELS.put(
        "BuildInfo",
        "os string!, kernel string!, options string!, machine string!, date string!,"
            + " user string!");
    MODELS.put("SystemInfo", "version string!, entity_id string!");
    MODELS.put("SetId", "user string!, group string!");
    MODELS.put(
        "ConfigInfo", "name string!, default_language string!, max_channels int, setid SetId!");
    MODELS.put("StatusInfo", "startup_time Date!, last_reload_time Date!");
    MODELS.put(
        "AsteriskInfo", "build BuildInfo, system SystemInfo, config ConfigInfo, status StatusInfo");
    MODELS.put("AsteriskPing", "asterisk_id string!, ping string!, timestamp string!");
    MODELS.put(
        "Application",
        "name string!, channel_ids List[string]!, bridge_ids List[string]!,"
            + " endpoint_ids List[string]!, device_names List[string]!,"
            + " events_allowed List[object]!, events_disallowed List[object]!");
    MODELS.put("Message", "type string!, asterisk_id string");
    MODELS.put("Event", "application string!, timestamp Date!");
    MODELS.put("ApplicationReplaced", "");
    MODELS.put("ChannelDestroyed", "cause int!, cause_txt string!, channel Channel!");
    MODELS.put("ChannelDtmfReceived", "digit string!, duration_ms int!, channel Channel!");
    MODELS.put("ChannelEnteredBridge", "bridge Bridge!, channel Channel");
    MODELS.put("ChannelHangupRequest", "cause int, soft boolean, channel Channel!");
    MODELS.put("ChannelLeftBridge", "bridge Bridge!, channel Channel!");
    MODELS.put("ChannelStateChange", "channel Channel!");
    MODELS.put("ChannelVarset", "variable string!, value string!, channel Channel");
    MODELS.put(
        "Dial",
        "caller Channel, peer Channel!, forward string, forwarded Channel, dialstring string,"
            + " dialstatus string!");
    MODELS.put("PlaybackContinuing", "playback Playback!");
    MODELS.put("PlaybackFinished", "playback Playback!");
    MODELS.put("PlaybackStarted", "playback Playback!");
    MODELS.put("RecordingFailed", "recording LiveRecording!");
    MODELS.put("RecordingFinished", "recording LiveRecording!");
    MODELS.put("RecordingStarted", "recording LiveRecording!");
    MODELS.put("StasisEnd", "channel Channel!");
    MODELS.put("StasisStart", "args List[string]!, channel Channel!, replace_channel Channel");

    MODELS_BY_RESOURCE.put(
        "asterisk",
        List.of(
            "BuildInfo",
            "SystemInfo",
            "SetId",
            "ConfigInfo",
            "StatusInfo",
            "AsteriskInfo",
            "AsteriskPing",
            "Variable"));
    MODELS_BY_RESOURCE.put("channels", List.of("CallerID", "DialplanCEP", "Channel"));
    MODELS_BY_RESOURCE.put("bridges", List.of("Bridge"));
    MODELS_BY_RESOURCE.put("playbacks", List.of("Playback"));
    MODELS_BY_RESOURCE.put("recordings", List.of("StoredRecording", "LiveRecording"));
    MODELS_BY_RESOURCE.put("applications", List.of("Application"));
    List<String> events = new java.util.ArrayList<>(List.of("Message", "Event"));
    events.addAll(EVENTS);
    MODELS_BY_RESOURCE.put("events", events);
  }

  private ApiDocs() {}

  /** {@code /ari/api-docs/resources.json}. */
  static JsonObject resources(List<Operation> operations, String basePath) {
    Set<String> served = new LinkedHashSet<>();
    operations.forEach(op -> served.add(op.resource));
    JsonArray apis = new JsonArray();
    for (String resource : DESCRIPTIONS.keySet()) {
      if (served.contains(resource)) {
        apis.add(
            new JsonObject()
                .put("path", "/api-docs/" + resource + ".{format}")
                .put("description", DESCRIPTIONS.get(resource)));
      }
    }
    return new JsonObject()
        .put("_comment", "Generated by the Herald ARI simulator from the operations it serves.")
        .put("apiVersion", ARI_VERSION)
        .put("swaggerVersion", "1.1")
        .put("basePath", basePath)
        .put("apis", apis);
  }

  /** {@code /ari/api-docs/{resource}.json}, or null when the resource is not served. */
  static JsonObject resource(String resource, List<Operation> operations, String basePath) {
    Map<String, JsonObject> byPath = new LinkedHashMap<>();
    for (Operation op : operations) {
      if (op.resource.equals(resource)) {
        byPath
            .computeIfAbsent(
                op.path,
                p ->
                    new JsonObject()
                        .put("path", p)
                        .put("description", DESCRIPTIONS.get(resource))
                        .put("operations", new JsonArray()))
            .getJsonArray("operations")
            .add(op.toJson());
      }
    }
    if (byPath.isEmpty()) {
      return null;
    }
    JsonObject models = new JsonObject();
    for (String name : MODELS_BY_RESOURCE.getOrDefault(resource, List.of())) {
      models.put(name, model(name));
    }
    return new JsonObject()
        .put("_comment", "Generated by the Herald ARI simulator from the operations it serves.")
        .put("apiVersion", "2.0.0")
        .put("swaggerVersion", resource.equals("events") ? "1.2" : "1.1")
        .put("basePath", basePath)
        .put("resourcePath", "/api-docs/" + resource + ".{format}")
        .put("apis", new JsonArray(List.copyOf(byPath.values())))
        .put("models", models);
  }

  private static JsonObject model(String name) {
    JsonObject properties = new JsonObject();
    String spec = MODELS.get(name);
    if (!spec.isEmpty()) {
      for (String property : spec.split(",")) {
        String[] parts = property.trim().split(" ");
        boolean required = parts[1].endsWith("!");
        String type = required ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
        properties.put(parts[0], new JsonObject().put("required", required).put("type", type));
      }
    }
    JsonObject model = new JsonObject().put("id", name).put("properties", properties);
    if (name.equals("Message")) {
      model.put("subTypes", new JsonArray().add("Event")).put("discriminator", "type");
    } else if (name.equals("Event")) {
      model.put("extends", "Message").put("subTypes", new JsonArray(List.copyOf(EVENTS)));
    } else if (EVENTS.contains(name)) {
      model.put("extends", "Event");
    }
    return model;
  }
}
