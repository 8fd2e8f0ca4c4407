package herald.sim.ari;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Playbacks and recordings on channels and bridges: the {@code Playback} and {@code LiveRecording}
 * objects, their events, and the stored recordings they leave. Used on the event loop only.
 */
final class Media {
  private static final Set<String> SCHEMES =
      Set.of("sound", "recording", "number", "digits", "characters", "tone");
  private static final Set<String> FORMATS =
      Set.of("wav", "WAV", "wav16", "gsm", "ulaw", "alaw", "sln", "sln16", "g722", "g729", "ogg");

  /** Where a playback or recording runs, and who hears about it. */
  record Target(String uri, SimChannel channel, String bridgeId, Set<String> apps) {}

  private static final class Playback {
    final String id;
    final List<String> media;
    final Target target;
    final String language;
    int index;
    String state = "queued";
    long timer = -1;

    Playback(String id, List<String> media, Target target, String language) {
      this.id = id;
      this.media = media;
      this.target = target;
      this.language = language;
    }

    JsonObject toJson() {
      JsonObject json =
          new JsonObject()
              .put("id", id)
              .put("media_uri", media.get(index))
              .put("target_uri", target.uri())
              .put("language", language)
              .put("state", state);
      if (index + 1 < media.size()) {
        json.put("next_media_uri", media.get(index + 1));
      }
      return json;
    }
  }

  private static final class Recording {
    final String name;
    final String format;
    final Target target;
    final String terminateOn;
    final Instant started = Instant.now();
    String state = "queued";
    long timer = -1;

    Recording(String name, String format, Target target, String terminateOn) {
      this.name = name;
      this.format = format;
      this.target = target;
      this.terminateOn = terminateOn;
    }

    int seconds() {
      return (int) Duration.between(started, Instant.now()).toSeconds();
    }

    JsonObject toJson() {
      JsonObject json =
          new JsonObject()
              .put("name", name)
              .put("format", format)
              .put("target_uri", target.uri())
              .put("state", state);
      if (state.equals("done")) {
        json.put("duration", seconds())
            .put("talking_duration", seconds())
            .put("silence_duration", 0);
      }
      return json;
    }
  }

  private record Stored(String name, String format, int seconds) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("format", format);
    }
  }

  private final Vertx vertx;
  private final AriSimConfig config;
  private final EventSockets sockets;
  private final Map<String, Playback> playbacks = new LinkedHashMap<>();
  private final Map<String, Recording> live = new LinkedHashMap<>();
  private final Map<String, Stored> stored = new LinkedHashMap<>();

  private final SimStats stats;

  Media(Vertx vertx, AriSimConfig config, EventSockets sockets, SimStats stats) {
    this.stats = stats;
    this.vertx = vertx;
    this.config = config;
    this.sockets = sockets;
  }

  // ---- playbacks

  /** Queues a playback; events follow on timers. */
  JsonObject play(Target target, Params params, String pathPlaybackId) {
    String media = params.string("media");
    if (media == null) {
      throw AriError.badRequest("media: Missing required parameter");
    }
    if (params.integer("skipms", 3000) < 0) {
      throw AriError.badRequest("skipms cannot be negative");
    }
    if (params.integer("offsetms", 0) < 0) {
      throw AriError.badRequest("offsetms cannot be negative");
    }
    String id = pathPlaybackId != null ? pathPlaybackId : params.string("playbackId");
    if (id == null) {
      id = UUID.randomUUID().toString();
    }
    if (playbacks.containsKey(id)) {
      throw AriError.conflict("Playback with the same playbackId already exists");
    }
    List<String> uris = Arrays.asList(media.split(","));
    uris.forEach(stats::play);
    Playback playback = new Playback(id, uris, target, params.string("lang", "en"));
    playbacks.put(id, playback);
    JsonObject answer = playback.toJson();
    playback.timer = vertx.setTimer(1, t -> start(playback));
    return answer;
  }

  private void start(Playback playback) {
    if (!playable(playback.media.get(playback.index))) {
      playback.state = "failed";
      finish(playback);
      return;
    }
    playback.state = "playing";
    emit(playback.target, "PlaybackStarted", "playback", playback.toJson());
    playback.timer = vertx.setTimer(duration(), t -> next(playback));
  }

  private void next(Playback playback) {
    if (playback.index + 1 < playback.media.size()) {
      playback.index++;
      if (!playable(playback.media.get(playback.index))) {
        playback.state = "failed";
        finish(playback);
        return;
      }
      playback.state = "continuing";
      emit(playback.target, "PlaybackContinuing", "playback", playback.toJson());
      playback.timer = vertx.setTimer(duration(), t -> next(playback));
    } else {
      playback.state = "done";
      finish(playback);
    }
  }

  private void finish(Playback playback) {
    vertx.cancelTimer(playback.timer);
    if (playbacks.remove(playback.id) != null) {
      emit(playback.target, "PlaybackFinished", "playback", playback.toJson());
    }
  }

  private boolean playable(String uri) {
    int colon = uri.indexOf(':');
    if (colon <= 0 || colon == uri.length() - 1 || !SCHEMES.contains(uri.substring(0, colon))) {
      return false;
    }
    return !uri.startsWith("recording:") || stored.containsKey(uri.substring(10));
  }

  private long duration() {
    return Math.max(1, config.playbackDuration().toMillis());
  }

  JsonObject playback(String id) {
    Playback playback = playbacks.get(id);
    if (playback == null) {
      throw AriError.notFound("Playback not found");
    }
    return playback.toJson();
  }

  void stopPlayback(String id) {
    Playback playback = playbacks.get(id);
    if (playback == null) {
      throw AriError.notFound("Playback not found");
    }
    playback.state = "done";
    vertx.runOnContext(v -> finish(playback));
  }

  // ---- recordings

  /** Starts a live recording; events follow on timers. */
  JsonObject record(Target target, Params params) {
    int maxDuration = params.integer("maxDurationSeconds", 0);
    if (maxDuration < 0) {
      throw AriError.badRequest("max_duration_seconds cannot be negative");
    }
    if (params.integer("maxSilenceSeconds", 0) < 0) {
      throw AriError.badRequest("max_silence_seconds cannot be negative");
    }
    String name = params.string("name");
    String format = params.string("format");
    if (name == null || format == null) {
      throw AriError.badRequest("Recording name and format are required");
    }
    String terminateOn = params.string("terminateOn", "none");
    if (!Set.of("none", "any", "*", "#").contains(terminateOn)) {
      throw AriError.badRequest("terminateOn invalid");
    }
    String ifExists = params.string("ifExists", "fail");
    if (!Set.of("fail", "overwrite", "append").contains(ifExists)) {
      throw AriError.badRequest("ifExists invalid");
    }
    if (!FORMATS.contains(format)) {
      throw AriError.unprocessable("specified format is unknown on this system");
    }
    if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
      throw AriError.badRequest("Recording name invalid");
    }
    if (live.containsKey(name) || (stored.containsKey(name) && ifExists.equals("fail"))) {
      throw AriError.conflict("Recording '" + name + "' already exists and can not be overwritten");
    }
    Recording recording = new Recording(name, format, target, terminateOn);
    live.put(name, recording);
    JsonObject answer = recording.toJson();
    vertx.setTimer(
        1,
        t -> {
          if (live.get(name) == recording) {
            recording.state = "recording";
            emit(target, "RecordingStarted", "recording", recording.toJson());
            if (maxDuration > 0) {
              recording.timer =
                  vertx.setTimer(maxDuration * 1000L, t2 -> finishRecording(recording, "done"));
            }
          }
        });
    return answer;
  }

  private void finishRecording(Recording recording, String state) {
    if (live.remove(recording.name) != recording) {
      return;
    }
    vertx.cancelTimer(recording.timer);
    recording.state = state;
    if (state.equals("done")) {
      stored.put(recording.name, new Stored(recording.name, recording.format, recording.seconds()));
      emit(recording.target, "RecordingFinished", "recording", recording.toJson());
    } else {
      emit(recording.target, "RecordingFailed", "recording", recording.toJson());
    }
  }

  JsonObject liveRecording(String name) {
    return liveOr404(name).toJson();
  }

  void stopRecording(String name) {
    Recording recording = liveOr404(name);
    vertx.runOnContext(v -> finishRecording(recording, "done"));
  }

  void cancelRecording(String name) {
    Recording recording = liveOr404(name);
    vertx.runOnContext(v -> finishRecording(recording, "canceled"));
  }

  private Recording liveOr404(String name) {
    Recording recording = live.get(name);
    if (recording == null) {
      throw AriError.notFound("Recording not found");
    }
    return recording;
  }

  JsonArray storedList() {
    JsonArray list = new JsonArray();
    stored.values().forEach(s -> list.add(s.toJson()));
    return list;
  }

  JsonObject storedRecording(String name) {
    return storedOr404(name).toJson();
  }

  void deleteStored(String name) {
    storedOr404(name);
    stored.remove(name);
  }

  /** The file of a stored recording: a WAV of silence as long as the recording, for any format. */
  Buffer storedFile(String name) {
    return silence(Math.max(1, storedOr404(name).seconds()));
  }

  String contentType(String name) {
    return storedOr404(name).format().startsWith("wav") ? "audio/wav" : "application/octet-stream";
  }

  private Stored storedOr404(String name) {
    Stored recording = stored.get(name);
    if (recording == null) {
      throw AriError.notFound("Recording not found");
    }
    return recording;
  }

  private static Buffer silence(int seconds) {
    int data = 8000 * 2 * seconds;
    Buffer wav = Buffer.buffer(44 + data);
    wav.appendString("RIFF").appendIntLE(36 + data).appendString("WAVEfmt ");
    wav.appendIntLE(16).appendShortLE((short) 1).appendShortLE((short) 1);
    wav.appendIntLE(8000).appendIntLE(16000).appendShortLE((short) 2).appendShortLE((short) 16);
    wav.appendString("data").appendIntLE(data).appendBytes(new byte[data]);
    return wav;
  }

  // ---- channel and bridge life

  /** A DTMF digit on a channel ends its recordings that terminate on it. */
  void dtmf(SimChannel channel, String digit) {
    for (Recording recording : new ArrayList<>(live.values())) {
      if (recording.target.channel() == channel
          && (recording.terminateOn.equals("any") || recording.terminateOn.equals(digit))) {
        finishRecording(recording, "done");
      }
    }
  }

  /** The channel hangs up: its playbacks finish and its recordings are stored. */
  void channelGone(SimChannel channel) {
    for (Playback playback : new ArrayList<>(playbacks.values())) {
      if (playback.target.channel() == channel) {
        playback.state = "done";
        finish(playback);
      }
    }
    for (Recording recording : new ArrayList<>(live.values())) {
      if (recording.target.channel() == channel) {
        finishRecording(recording, "done");
      }
    }
  }

  /** The bridge is destroyed: its playbacks and recordings end. */
  void bridgeGone(String bridgeId) {
    for (Playback playback : new ArrayList<>(playbacks.values())) {
      if (bridgeId.equals(playback.target.bridgeId())) {
        playback.state = "done";
        finish(playback);
      }
    }
    for (Recording recording : new ArrayList<>(live.values())) {
      if (bridgeId.equals(recording.target.bridgeId())) {
        finishRecording(recording, "done");
      }
    }
  }

  void closeAll() {
    playbacks.values().forEach(p -> vertx.cancelTimer(p.timer));
    live.values().forEach(r -> vertx.cancelTimer(r.timer));
    playbacks.clear();
    live.clear();
  }

  private void emit(Target target, String type, String field, JsonObject object) {
    for (String app : target.apps()) {
      sockets.emit(sockets.event(type, app).put(field, object));
    }
  }
}
