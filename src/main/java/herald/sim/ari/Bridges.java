package herald.sim.ari;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Stasis bridges: create, join, leave, destroy, with their events. Used on the event loop only. */
final class Bridges {
  private static final Set<String> TYPES =
      Set.of(
          "mixing",
          "holding",
          "dtmf_events",
          "proxy_media",
          "video_sfu",
          "video_single",
          "sdp_label");

  private static final class Bridge {
    final String id;
    final String name;
    final String type;
    final Instant created = Instant.now();
    final List<SimChannel> channels = new ArrayList<>();
    String mohClass;

    Bridge(String id, String name, String type) {
      this.id = id;
      this.name = name;
      this.type = type;
    }

    JsonObject toJson() {
      JsonArray ids = new JsonArray();
      channels.forEach(c -> ids.add(c.id));
      return new JsonObject()
          .put("id", id)
          .put("technology", channels.size() > 2 ? "softmix" : "simple_bridge")
          .put("bridge_type", type)
          .put("bridge_class", "stasis")
          .put("creator", "Stasis")
          .put("name", name)
          .put("channels", ids)
          .put("creationtime", AriTime.format(created))
          .put("video_mode", "none");
    }
  }

  private final Telephony telephony;
  private final Media media;
  private final Map<String, Bridge> bridges = new LinkedHashMap<>();

  Bridges(Telephony telephony, Media media) {
    this.telephony = telephony;
    this.media = media;
  }

  JsonArray list() {
    JsonArray list = new JsonArray();
    bridges.values().forEach(b -> list.add(b.toJson()));
    return list;
  }

  /** {@code POST /bridges} and {@code POST /bridges/{bridgeId}}. */
  JsonObject create(Params params, String pathId) {
    String types = params.string("type", "mixing");
    for (String type : types.split(",")) {
      if (!TYPES.contains(type.trim())) {
        throw AriError.badRequest("Invalid bridge type '" + type.trim() + "'");
      }
    }
    String id = pathId != null ? pathId : params.string("bridgeId");
    if (id == null) {
      id = UUID.randomUUID().toString();
    }
    if (bridges.containsKey(id)) {
      throw AriError.conflict("Bridge with id '" + id + "' already exists");
    }
    String type = types.contains("holding") ? "holding" : "mixing";
    Bridge bridge = new Bridge(id, params.string("name", ""), type);
    bridges.put(id, bridge);
    return bridge.toJson();
  }

  /**
   * {@code POST} ({@code mohClass}) or {@code DELETE} ({@code null}) {@code /bridges/{id}/moh}.
   * Every bridge here is a Stasis bridge; MOH has no events in ARI, only the bridge's state.
   */
  void moh(String id, String mohClass) {
    find(id).mohClass = mohClass;
  }

  JsonObject get(String id) {
    return find(id).toJson();
  }

  void destroy(String id) {
    Bridge bridge = find(id);
    bridges.remove(id);
    media.bridgeGone(id);
    for (SimChannel channel : new ArrayList<>(bridge.channels)) {
      leave(bridge, channel);
    }
  }

  void addChannels(String id, Params params) {
    Bridge bridge = find(id);
    List<SimChannel> joining = channelsOf(params);
    for (SimChannel channel : joining) {
      if (!channel.inStasis) {
        throw AriError.unprocessable("Channel not in Stasis application");
      }
    }
    for (SimChannel channel : joining) {
      if (bridge.channels.contains(channel)) {
        continue;
      }
      Bridge old = channel.bridgeId == null ? null : bridges.get(channel.bridgeId);
      if (old != null) {
        leave(old, channel);
      }
      bridge.channels.add(channel);
      channel.bridgeId = bridge.id;
      telephony.emit(
          channel, "ChannelEnteredBridge", new JsonObject().put("bridge", bridge.toJson()));
    }
  }

  void removeChannels(String id, Params params) {
    Bridge bridge = find(id);
    List<SimChannel> leaving = channelsOf(params);
    for (SimChannel channel : leaving) {
      if (!bridge.channels.contains(channel)) {
        throw AriError.unprocessable("Channel not in this bridge");
      }
    }
    leaving.forEach(channel -> leave(bridge, channel));
  }

  /** Where a bridge playback or recording runs: every app with a channel in it hears of it. */
  Media.Target target(String id) {
    Bridge bridge = find(id);
    Set<String> apps = new LinkedHashSet<>();
    bridge.channels.forEach(
        c -> {
          if (c.app != null) {
            apps.add(c.app);
          }
        });
    return new Media.Target("bridge:" + id, null, id, apps);
  }

  /** A hung-up channel leaves its bridge first. */
  void channelGone(SimChannel channel) {
    Bridge bridge = channel.bridgeId == null ? null : bridges.get(channel.bridgeId);
    if (bridge != null) {
      leave(bridge, channel);
    }
  }

  private void leave(Bridge bridge, SimChannel channel) {
    bridge.channels.remove(channel);
    channel.bridgeId = null;
    telephony.emit(channel, "ChannelLeftBridge", new JsonObject().put("bridge", bridge.toJson()));
  }

  private List<SimChannel> channelsOf(Params params) {
    String ids = params.string("channel");
    if (ids == null) {
      throw AriError.badRequest("channel: Missing required parameter");
    }
    List<SimChannel> list = new ArrayList<>();
    for (String channelId : ids.split(",")) {
      try {
        list.add(telephony.get(channelId.trim()));
      } catch (AriError e) {
        throw AriError.badRequest("Channel not found");
      }
    }
    return list;
  }

  private Bridge find(String id) {
    Bridge bridge = bridges.get(id);
    if (bridge == null) {
      throw AriError.notFound("Bridge not found");
    }
    return bridge;
  }
}
