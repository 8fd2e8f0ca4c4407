package herald.sim.ari;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link AriSimulator}. Validated on construction: an invalid value fails fast with
 * {@link IllegalArgumentException}. {@link #loopback} gives the programmatic defaults; the {@code
 * with...} methods return changed copies.
 *
 * @param host interface to bind, normally {@code 127.0.0.1}
 * @param port TCP port; {@code 0} picks a free one (read it back with {@link AriSimulator#port()})
 * @param username the one ARI user (ari.conf), for HTTP Basic and {@code api_key=user:pass}
 * @param password its password
 * @param asteriskId the {@code asterisk_id} of every event and {@code /asterisk/info}: the system's
 *     entity id, a MAC address
 * @param defaultCall the script of calls whose number matches no rule and that the rates below do
 *     not turn into failures (its outcome is normally {@link CallScript.Outcome#ANSWER})
 * @param busyRate fraction (0..1) of unscripted calls that end busy (cause 17)
 * @param noAnswerRate fraction (0..1) of unscripted calls that ring out (cause 19)
 * @param congestionRate fraction (0..1) of unscripted calls that fail with congestion (cause 34);
 *     the three rates together at most 1, the rest follows {@code defaultCall}
 * @param numberRules per-number scripts: the longest key that is a prefix of the dialled number
 *     wins (the number is the endpoint's resource before {@code @}, e.g. {@code +15551234} of
 *     {@code PJSIP/+15551234@trunk}); more can be added at run time
 * @param stasisStartWhileRinging {@code true} sends {@code StasisStart} as soon as the channel is
 *     {@code Ringing} (as with early media), before the answer; {@code false} sends it after the
 *     answer, as a plain originate does
 * @param dtmfDelay time from {@code StasisStart} of an answered channel to its first DTMF digit;
 *     also the gap between digits
 * @param playbackDuration how long each media URI of a playback plays
 * @param amdVariable the originate variable that asks the (simulated) dialplan to run AMD before
 *     Stasis when its value is {@code true}, as Fonoster's {@code AMD_ENABLED}
 * @param maxChannels live channels at most (asterisk.conf {@code maxcalls}); an originate beyond it
 *     fails with 500 as Asterisk's does; {@code 0} for no limit
 * @param channelVars variables copied into every channel snapshot's {@code channelvars} (ari.conf
 *     {@code channelvars}); empty omits the field, as Asterisk does
 */
public record AriSimConfig(
    String host,
    int port,
    String username,
    String password,
    String asteriskId,
    CallScript defaultCall,
    double busyRate,
    double noAnswerRate,
    double congestionRate,
    Map<String, CallScript> numberRules,
    boolean stasisStartWhileRinging,
    Duration dtmfDelay,
    Duration playbackDuration,
    String amdVariable,
    int maxChannels,
    List<String> channelVars) {

  /** Validates every field; see the record's parameters. */
  public AriSimConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(asteriskId, "asteriskId");
    Objects.requireNonNull(defaultCall, "defaultCall");
    Objects.requireNonNull(dtmfDelay, "dtmfDelay");
    Objects.requireNonNull(playbackDuration, "playbackDuration");
    Objects.requireNonNull(amdVariable, "amdVariable");
    numberRules = Map.copyOf(numberRules);
    channelVars = List.copyOf(channelVars);
    if (host.isBlank() || username.isBlank() || password.isBlank() || amdVariable.isBlank()) {
      throw new IllegalArgumentException("host, username, password and amdVariable are required");
    }
    if (username.contains(":")) {
      throw new IllegalArgumentException("username must not contain ':'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    requireFraction("busyRate", busyRate);
    requireFraction("noAnswerRate", noAnswerRate);
    requireFraction("congestionRate", congestionRate);
    if (busyRate + noAnswerRate + congestionRate > 1.0 + 1e-9) {
      throw new IllegalArgumentException("busyRate + noAnswerRate + congestionRate must be <= 1");
    }
    if (dtmfDelay.isNegative() || playbackDuration.isNegative()) {
      throw new IllegalArgumentException("dtmfDelay and playbackDuration must not be negative");
    }
    if (maxChannels < 0) {
      throw new IllegalArgumentException("maxChannels must not be negative");
    }
  }

  /**
   * A simulator on a free loopback port: every call rings 100 ms, is answered by a human, and stays
   * up until the application hangs up; StasisStart after the answer; digits 100 ms apart; playbacks
   * of 100 ms; AMD on {@code AMD_ENABLED=true}; no channel limit.
   */
  public static AriSimConfig loopback(String username, String password) {
    return new AriSimConfig(
        "127.0.0.1",
        0,
        username,
        password,
        "02:42:ac:11:00:02",
        CallScript.answer(Duration.ofMillis(100), null),
        0.0,
        0.0,
        0.0,
        Map.of(),
        false,
        Duration.ofMillis(100),
        Duration.ofMillis(100),
        "AMD_ENABLED",
        0,
        List.of());
  }

  /** This config on another port. */
  public AriSimConfig withPort(int newPort) {
    return new AriSimConfig(
        host,
        newPort,
        username,
        password,
        asteriskId,
        defaultCall,
        busyRate,
        noAnswerRate,
        congestionRate,
        numberRules,
        stasisStartWhileRinging,
        dtmfDelay,
        playbackDuration,
        amdVariable,
        maxChannels,
        channelVars);
  }

  /** This config with another default script and failure rates. */
  public AriSimConfig withCalls(CallScript call, double busy, double noAnswer, double congestion) {
    return new AriSimConfig(
        host,
        port,
        username,
        password,
        asteriskId,
        call,
        busy,
        noAnswer,
        congestion,
        numberRules,
        stasisStartWhileRinging,
        dtmfDelay,
        playbackDuration,
        amdVariable,
        maxChannels,
        channelVars);
  }

  /** This config with {@code script} for numbers starting with {@code prefix}. */
  public AriSimConfig withNumber(String prefix, CallScript script) {
    Map<String, CallScript> rules = new LinkedHashMap<>(numberRules);
    rules.put(prefix, script);
    return new AriSimConfig(
        host,
        port,
        username,
        password,
        asteriskId,
        defaultCall,
        busyRate,
        noAnswerRate,
        congestionRate,
        rules,
        stasisStartWhileRinging,
        dtmfDelay,
        playbackDuration,
        amdVariable,
        maxChannels,
        channelVars);
  }

  /** This config with StasisStart sent while ringing ({@code true}) or after the answer. */
  public AriSimConfig withStasisStartWhileRinging(boolean early) {
    return new AriSimConfig(
        host,
        port,
        username,
        password,
        asteriskId,
        defaultCall,
        busyRate,
        noAnswerRate,
        congestionRate,
        numberRules,
        early,
        dtmfDelay,
        playbackDuration,
        amdVariable,
        maxChannels,
        channelVars);
  }

  /** This config with another gap between DTMF digits and length of each played media URI. */
  public AriSimConfig withTiming(Duration newDtmfDelay, Duration newPlaybackDuration) {
    return new AriSimConfig(
        host,
        port,
        username,
        password,
        asteriskId,
        defaultCall,
        busyRate,
        noAnswerRate,
        congestionRate,
        numberRules,
        stasisStartWhileRinging,
        newDtmfDelay,
        newPlaybackDuration,
        amdVariable,
        maxChannels,
        channelVars);
  }

  /** This config with a channel limit and snapshot variables. */
  public AriSimConfig withLimits(int newMaxChannels, List<String> newChannelVars) {
    return new AriSimConfig(
        host,
        port,
        username,
        password,
        asteriskId,
        defaultCall,
        busyRate,
        noAnswerRate,
        congestionRate,
        numberRules,
        stasisStartWhileRinging,
        dtmfDelay,
        playbackDuration,
        amdVariable,
        newMaxChannels,
        newChannelVars);
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be within 0..1, was " + value);
    }
  }
}
