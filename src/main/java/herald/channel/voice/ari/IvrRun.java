package herald.channel.voice.ari;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's run through its IVR: a state machine driven by ARI events (the prompt's {@code
 * PlaybackFinished}, {@code ChannelDtmfReceived}, {@code RecordingFinished}) and its own timeouts.
 * Started once the answered channel is {@code Up} in Stasis.
 *
 * <p>A menu plays its prompt and then waits {@code timeout_seconds} for a key (a key pressed during
 * the prompt stops it and counts). A key with an option acts on it; a key without one plays the
 * menu's {@code invalid_prompt} and the prompt again; silence plays its {@code retry_prompt} and
 * the prompt again; after {@code max_retries} the menu's {@code on_timeout} action runs. Every menu
 * entered, key pressed, timeout and action is written to the call's {@code ivr_path}.
 */
final class IvrRun {
  private static final Logger LOG = LoggerFactory.getLogger(IvrRun.class);

  private enum Mode {
    PROMPT,
    WAITING,
    ACTING,
    RECORDING,
    DONE
  }

  private final CallHost call;
  private final JsonObject ivr;
  private Mode mode = Mode.ACTING;
  private String menuId;
  private JsonObject menu;
  private int retries;
  private int sequence;
  private String playbackId;
  private Runnable afterPlayback;
  private long timer = -1;
  private String recordingName;

  IvrRun(CallHost call, JsonObject ivr) {
    this.call = call;
    this.ivr = ivr;
  }

  /** Enters the IVR's start menu. */
  void start() {
    enter(ivr.getString("start"));
  }

  private void enter(String id) {
    menuId = id;
    menu = ivr.getJsonObject("menus").getJsonObject(id);
    retries = 0;
    path(new JsonObject().put("event", "enter"));
    prompt(menu.getJsonArray("prompt"));
  }

  private void prompt(JsonArray media) {
    mode = Mode.PROMPT;
    play(media, this::waitForKey);
  }

  private void waitForKey() {
    mode = Mode.WAITING;
    timer = call.timer(menu.getInteger("timeout_seconds", 5) * 1000L, this::timedOut);
  }

  /** A key the caller pressed. */
  void dtmf(String digit) {
    if (mode != Mode.PROMPT && mode != Mode.WAITING) {
      return; // acting, recording (where '#' ends the message), or done
    }
    cancelTimer();
    stopPlayback();
    JsonObject option = menu.getJsonObject("options").getJsonObject(digit);
    if (option == null) {
      path(new JsonObject().put("event", "invalid").put("key", digit));
      retry(menu.getJsonArray("invalid_prompt"));
      return;
    }
    path(
        new JsonObject()
            .put("event", "key")
            .put("key", digit)
            .put("action", option.getString("action")));
    act(option, digit);
  }

  private void timedOut() {
    timer = -1;
    if (mode != Mode.WAITING) {
      return;
    }
    path(new JsonObject().put("event", "timeout"));
    retry(menu.getJsonArray("retry_prompt"));
  }

  private void retry(JsonArray extra) {
    retries++;
    if (retries > menu.getInteger("max_retries", 2)) {
      path(new JsonObject().put("event", "retries_exhausted"));
      act(menu.getJsonObject("on_timeout"), null);
      return;
    }
    JsonArray media = new JsonArray();
    if (extra != null) {
      media.addAll(extra);
    }
    media.addAll(menu.getJsonArray("prompt"));
    prompt(media);
  }

  private void act(JsonObject option, String key) {
    mode = Mode.ACTING;
    switch (option.getString("action")) {
      case "menu" -> enter(option.getString("menu"));
      case "agent" -> {
        mode = Mode.DONE;
        call.transfer(option.getJsonObject("agent"));
      }
      case "webhook" -> {
        call.write(
            "ivr_callback",
            new JsonObject()
                .put("ivr_id", ivr.getString("id"))
                .put("menu", menuId)
                .put("key", key)
                .put("data", option.getJsonObject("data", new JsonObject())));
        if (option.getString("menu") != null) {
          enter(option.getString("menu"));
        } else {
          finish(option.getJsonArray("prompt"));
        }
      }
      case "record" -> play(option.getJsonArray("prompt"), () -> record(option));
      default -> finish(option.getJsonArray("prompt"));
    }
  }

  /** Plays the goodbye (if any), then hangs up. */
  private void finish(JsonArray goodbye) {
    mode = Mode.ACTING;
    play(
        goodbye,
        () -> {
          mode = Mode.DONE;
          call.hangup();
        });
  }

  /** Records the caller's message: a beep, up to max_seconds, '#' ends it. */
  private void record(JsonObject option) {
    mode = Mode.RECORDING;
    recordingName = "herald-" + call.callId() + "-msg-" + (++sequence);
    String name = recordingName;
    call.ari()
        .record(
            call.channelId(),
            name,
            "wav",
            option.getInteger("max_seconds", 60),
            option.getBoolean("beep", true),
            "#")
        .onSuccess(
            r ->
                call.write(
                    "recording",
                    new JsonObject().put("name", name).put("kind", "message").put("format", "wav")))
        .onFailure(
            err -> {
              LOG.warn(
                  "Recording a message on call {} failed: {}", call.callId(), err.getMessage());
              mode = Mode.DONE;
              call.hangup();
            });
  }

  /** A recording of this call ended (stored, or failed). */
  void recordingEnded(String name, boolean failed) {
    if (mode != Mode.RECORDING || !name.equals(recordingName)) {
      return;
    }
    path(
        new JsonObject()
            .put("event", failed ? "message_failed" : "message_recorded")
            .put("recording", name));
    mode = Mode.DONE;
    call.hangup();
  }

  /** A playback of this call ended. */
  void playbackFinished(String id) {
    if (id != null && id.equals(playbackId)) {
      playbackId = null;
      Runnable next = afterPlayback;
      afterPlayback = null;
      if (next != null) {
        next.run();
      }
    }
  }

  private void play(JsonArray media, Runnable then) {
    if (media == null || media.isEmpty()) {
      then.run();
      return;
    }
    String id = "herald-" + call.callId() + "-ivr-" + (++sequence);
    playbackId = id;
    afterPlayback = then;
    call.ari()
        .play(call.channelId(), id, String.join(",", media.stream().map(String::valueOf).toList()))
        .onFailure(
            err -> {
              if (id.equals(playbackId)) {
                LOG.warn("IVR prompt on call {} failed: {}", call.callId(), err.getMessage());
                mode = Mode.DONE;
                call.hangup();
              }
            });
  }

  private void stopPlayback() {
    String id = playbackId;
    playbackId = null;
    afterPlayback = null;
    if (id != null) {
      call.ari()
          .stopPlayback(id)
          .onFailure(err -> LOG.debug("Stopping {}: {}", id, err.toString()));
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      call.cancel(timer);
      timer = -1;
    }
  }

  private void path(JsonObject step) {
    call.write("ivr", step.put("menu", menuId));
  }
}
